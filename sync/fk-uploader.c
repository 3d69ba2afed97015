/* fk-uploader.c: one batch of the outbox up to the intake server
 *
 * A cut costs at most the chunk in flight: after any failure the uploader
 * asks the server where the upload stands and goes on from there, never
 * from its own idea of what was sent. Commits are idempotent on the
 * dossier UUID, so a dossier whose receipt was lost in a cut is committed
 * again and gets the same receipt.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-uploader.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "fk-sync-client.h"
#include "fk-sync-error.h"

typedef struct
{
  FkStore *store;
  FkSyncClient *client;
  FkUploadOptions options;
  FkUploadSummary *summary;
  guint8 verify_key[FK_SYNC_KEY_BYTES];
  guint64 bytes_total;
  guint64 bytes_done; /* acked part bytes, for progress */
  guint dossiers_total;
  guint dossiers_done;
  guint failures; /* consecutive */
  GCancellable *cancellable;
} Batch;

#define LAST_SYNC_KEY "sync.last_upload"

gboolean
fk_uploader_get_verify_key (FkStore *store, guint8 key[FK_SYNC_KEY_BYTES], GError **error)
{
  g_autofree char *text = fk_store_get_setting (store, FK_SYNC_SETTING_SERVER_VERIFY_KEY);

  if (text == NULL || !fk_sync_key_from_base64 (text, key, NULL))
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_NOT_INITIALIZED,
                   _ ("This device does not know the server's receipt key; give the server's "
                      "server.pub once with “fieldkit-ctl sync --server-key FILE”"));
      return FALSE;
    }
  return TRUE;
}

static void
report_progress (Batch *b)
{
  if (b->options.progress != NULL)
    b->options.progress (b->bytes_done, b->bytes_total, b->dossiers_done, b->dossiers_total,
                         b->options.progress_data);
}

/* The officer reads a refusal in the device's language: the server's
 * error codes that end in quarantine have their own explanation here; an
 * unknown code shows the server's text. */
static char *
rejection_reason (const FkSyncResponse *r)
{
  const char *server_text = r->message != NULL ? r->message : "";
  const char *code = r->error_code != NULL ? r->error_code : "";

  if (g_str_equal (code, "sha256-mismatch"))
    return g_strdup (_ ("A file of this dossier reached the server damaged (its checksum does "
                        "not match). Try again; if it is refused again, the copy on this device "
                        "is damaged."));
  if (g_str_equal (code, "dossier-conflict"))
    return g_strdup (_ ("The server already holds a different dossier with this number."));
  if (g_str_equal (code, "conflict"))
    return g_strdup (_ ("The server holds a different upload of a file of this dossier."));
  if (g_str_equal (code, "too-large"))
    return g_strdup (_ ("A file of this dossier is larger than the server accepts."));
  if (g_str_equal (code, "invalid-manifest"))
    return g_strdup_printf (_ ("The server found the list of this dossier's files invalid: %s"),
                            server_text);
  if (g_str_equal (code, "malformed"))
    return g_strdup_printf (_ ("The server could not read a request for this dossier: %s"),
                            server_text);
  if (g_str_equal (code, "unopenable-dossier"))
    return g_strdup_printf (_ ("The server cannot open this dossier with its key: it was sealed "
                               "for another server, or damaged on this device. (%s)"),
                            server_text);
  if (g_str_equal (code, FK_SYNC_CODE_PRACTICE))
    return g_strdup (_ ("This is a practice dossier: the server takes no practice dossiers. It "
                        "stays on this device, in the practice profile."));
  if (g_str_equal (code, "invalid-dossier"))
    return g_strdup_printf (_ ("The server opened this dossier but found it invalid: %s"),
                            server_text);
  return g_strdup (server_text);
}

static gboolean
set_outcome_error (const FkSyncResponse *r, GError **error)
{
  switch (fk_sync_response_outcome (r))
    {
      case FK_SYNC_OUTCOME_AUTH:
        /* The tablet's clock, not the device, was refused. */
        if (g_strcmp0 (r->error_code, FK_SYNC_CODE_CLOCK_SKEW) == 0)
          g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_CLOCK, r->message);
        else
          g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_AUTH,
                       _ ("The server refused this device: %s"), r->message);
        break;
      case FK_SYNC_OUTCOME_REJECTED:
        {
          g_autofree char *reason = rejection_reason (r);

          g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_REJECTED, reason);
        }
        break;
      case FK_SYNC_OUTCOME_TRANSIENT:
      case FK_SYNC_OUTCOME_OK:
      default:
        g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_TRANSIENT,
                     _ ("The server cannot be reached right now: %s"),
                     r->message != NULL ? r->message : "");
        break;
    }
  return FALSE;
}

/* Counts a failed request; gives up the batch after too many in a row,
 * pausing (cancellably) between tries with a doubling delay. A 409 on a
 * chunk counts too, so a server that keeps disagreeing cannot loop us. */
static gboolean
retry_after_failure (Batch *b, const FkSyncResponse *r, GError **error)
{
  guint delay_ms;
  gint64 until;

  b->failures++;
  if (b->failures > b->options.max_retries)
    return set_outcome_error (r, error);
  /* A single cut is the common case on the road: reconnect at once; only
   * failures in a row wait, doubling. */
  delay_ms = b->failures == 1 ? 0 : b->options.retry_delay_ms << MIN (b->failures - 2, 6);
  until = g_get_monotonic_time () + (gint64) delay_ms * 1000;
  while (g_get_monotonic_time () < until)
    {
      if (g_cancellable_set_error_if_cancelled (b->cancellable, error))
        return FALSE;
      g_usleep (20 * 1000);
    }
  return TRUE;
}

static gboolean
header_u64 (const FkSyncResponse *r, const char *name, guint64 *out)
{
  const char *text = r->headers != NULL ? soup_message_headers_get_one (r->headers, name) : NULL;

  return text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, out, NULL);
}

static gboolean
read_chunk (GFileInputStream *in, guint64 offset, guint8 *buf, gsize want, GError **error)
{
  gsize got = 0;

  if (!g_seekable_seek (G_SEEKABLE (in), (goffset) offset, G_SEEK_SET, NULL, error) ||
      !g_input_stream_read_all (G_INPUT_STREAM (in), buf, want, &got, NULL, error))
    return FALSE;
  if (got != want)
    {
      g_set_error (error, FK_STORE_ERROR, FK_STORE_ERROR_CORRUPT,
                   _ ("A sealed file of the dossier is shorter than recorded"));
      return FALSE;
    }
  return TRUE;
}

/* Where the upload stands on the server: creates it when the server has
 * never seen it (POST is idempotent on the SHA-256), else asks (HEAD). */
static FkSyncResponse *
ask_offset (Batch *b, const FkOutboxPart *part, gboolean create)
{
  g_autofree char *target = g_strdup_printf ("/v1/blobs/%s", part->sha256);

  if (create)
    {
      g_autofree char *json =
        fk_sync_blob_request_json (part->sha256, part->size, fk_store_is_practice (b->store));
      g_autoptr (GBytes) body = g_bytes_new (json, strlen (json));

      return fk_sync_client_send (b->client, "POST", "/v1/blobs", body, NULL, NULL, b->cancellable);
    }
  return fk_sync_client_send (b->client, "HEAD", target, NULL, NULL, NULL, b->cancellable);
}

/* One part's upload: where it stands on the server, as far as we know. */
typedef struct
{
  const FkOutboxPart *part;
  GFileInputStream *in;
  char *target;
  guint8 *buf;
  gboolean known; /* do we know the server's offset? */
  gboolean created;
  guint64 offset;
  guint64 counted; /* bytes of this part already counted in bytes_done */
} PartUpload;

static void
part_upload_clear (PartUpload *u)
{
  g_clear_object (&u->in);
  g_clear_pointer (&u->target, g_free);
  g_clear_pointer (&u->buf, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PartUpload, part_upload_clear)

typedef enum
{
  STEP_AGAIN, /* go on with the next step */
  STEP_DONE,  /* the server has the whole part */
  STEP_FAILED,
} Step;

/* What the server holds now counts as done; TRUE when that grew. */
static gboolean
count_done (Batch *b, PartUpload *u)
{
  if (u->offset <= u->counted)
    return FALSE;
  b->bytes_done += u->offset - u->counted;
  u->counted = u->offset;
  return TRUE;
}

static Step
retry_step (Batch *b, const FkSyncResponse *r, GError **error)
{
  return retry_after_failure (b, r, error) ? STEP_AGAIN : STEP_FAILED;
}

/* Learns the server's offset, creating the upload when the server has
 * never seen it (or has lost it). */
static Step
learn_offset (Batch *b, PartUpload *u, GError **error)
{
  g_autoptr (FkSyncResponse) r = ask_offset (b, u->part, !u->created);
  FkSyncOutcome outcome = fk_sync_response_outcome (r);
  guint64 complete = 0;

  if (r->status == 404)
    {
      u->created = FALSE;
      return STEP_AGAIN;
    }
  if (outcome != FK_SYNC_OUTCOME_OK || !header_u64 (r, "Upload-Offset", &u->offset))
    {
      if (outcome == FK_SYNC_OUTCOME_TRANSIENT || outcome == FK_SYNC_OUTCOME_OK)
        return retry_step (b, r, error);
      set_outcome_error (r, error);
      return STEP_FAILED;
    }
  u->created = TRUE;
  u->known = TRUE;
  b->failures = 0;
  header_u64 (r, "FK-Upload-Complete", &complete);
  if (count_done (b, u))
    report_progress (b);
  return complete == 1 ? STEP_DONE : STEP_AGAIN;
}

/* Sends the chunk at the server's offset. */
static Step
send_chunk (Batch *b, PartUpload *u, GError **error)
{
  g_autoptr (FkSyncResponse) r = NULL;
  g_autoptr (GBytes) body = NULL;
  guint64 complete = 0, next = 0;
  char offset_text[32];
  gsize want;

  if (u->offset >= u->part->size)
    {
      /* All bytes are in but the server did not call it complete. */
      u->known = FALSE;
      return STEP_AGAIN;
    }
  want = (gsize) MIN ((guint64) b->options.chunk_size, u->part->size - u->offset);
  if (b->options.max_bytes != 0 && b->summary->bytes_sent + want > b->options.max_bytes)
    {
      g_set_error (error, FK_SYNC_ERROR, FK_SYNC_ERROR_TRANSIENT,
                   _ ("Today's data allowance for metered connections is used up"));
      return STEP_FAILED;
    }
  if (!read_chunk (u->in, u->offset, u->buf, want, error))
    return STEP_FAILED;
  body = g_bytes_new (u->buf, want);
  g_snprintf (offset_text, sizeof offset_text, "%" G_GUINT64_FORMAT, u->offset);
  b->summary->bytes_sent += want;
  r = fk_sync_client_send (b->client, "PATCH", u->target, body, FK_SYNC_HEADER_OFFSET, offset_text,
                           b->cancellable);
  if (r->status == 204)
    {
      b->failures = 0;
      b->summary->bytes_acked += want;
      u->offset = header_u64 (r, "Upload-Offset", &next) ? next : u->offset + want;
      count_done (b, u);
      report_progress (b);
      header_u64 (r, "FK-Upload-Complete", &complete);
      return complete == 1 ? STEP_DONE : STEP_AGAIN;
    }
  if (r->status == 409 || r->status == 404 ||
      fk_sync_response_outcome (r) == FK_SYNC_OUTCOME_TRANSIENT)
    {
      /* Our idea of the offset was wrong (an earlier chunk did land, or
       * the server lost the upload), or the link failed: ask again. */
      u->known = FALSE;
      if (r->status == 404)
        u->created = FALSE;
      return retry_step (b, r, error);
    }
  set_outcome_error (r, error);
  return STEP_FAILED;
}

static gboolean
upload_part (Batch *b, const FkOutboxPart *part, GError **error)
{
  g_autoptr (GFile) file = g_file_new_for_path (part->path);
  g_auto (PartUpload) u = { .part = part };
  Step step = STEP_AGAIN;

  u.in = g_file_read (file, b->cancellable, error);
  if (u.in == NULL)
    return FALSE;
  u.target = g_strdup_printf ("/v1/blobs/%s", part->sha256);
  u.buf = g_malloc (b->options.chunk_size);
  while (step == STEP_AGAIN)
    {
      if (g_cancellable_set_error_if_cancelled (b->cancellable, error))
        return FALSE;
      step = u.known ? send_chunk (b, &u, error) : learn_offset (b, &u, error);
    }
  return step == STEP_DONE;
}

static FkSyncManifest *
build_manifest (Batch *b, const char *id, GPtrArray *parts)
{
  FkSyncManifest *m = fk_sync_manifest_new (id, fk_sync_client_get_device (b->client));

  m->practice = fk_store_is_practice (b->store);

  for (guint i = 0; i < parts->len; i++)
    {
      const FkOutboxPart *part = parts->pdata[i];
      gboolean is_dossier = strcmp (part->kind, FK_OUTBOX_PART_DOSSIER) == 0;

      fk_sync_manifest_add_part (m, part->kind, is_dossier ? NULL : part->name, part->sha256,
                                 part->size);
    }
  return m;
}

static GBytes *
receipt_record (const FkSyncResponse *r, const char *signature)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *receipt =
    g_strndup (g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body));
  gsize len = 0;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "receipt");
  json_builder_add_string_value (builder, receipt);
  json_builder_set_member_name (builder, "signature");
  json_builder_add_string_value (builder, signature);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (gen, root);
  text = json_generator_to_data (gen, &len);
  return g_bytes_new_take (text, len);
}

typedef enum
{
  DOSSIER_DELIVERED,
  DOSSIER_QUARANTINED,
  DOSSIER_STOP, /* transient or auth: the batch stops, the dossier stays queued */
} DossierResult;

static DossierResult
upload_dossier (Batch *b, const char *id, GError **error)
{
  g_autoptr (GPtrArray) parts = fk_outbox_list_parts (b->store, id, error);
  g_autoptr (FkSyncManifest) manifest = NULL;
  g_autoptr (GBytes) manifest_bytes = NULL;
  g_autofree char *manifest_sha256 = NULL;
  g_autoptr (GError) local = NULL;
  gsize len = 0;
  char *json;

  if (parts == NULL)
    return DOSSIER_STOP;
  manifest = build_manifest (b, id, parts);
  if (!fk_sync_manifest_validate (manifest, &local))
    {
      g_set_error_literal (error, FK_SYNC_ERROR, FK_SYNC_ERROR_REJECTED, local->message);
      return DOSSIER_QUARANTINED;
    }
  json = fk_sync_manifest_to_json (manifest, &len);
  manifest_bytes = g_bytes_new_take (json, len);
  manifest_sha256 = fk_sync_sha256_hex (json, len);

  for (guint round = 0;; round++)
    {
      g_autoptr (FkSyncResponse) r = NULL;
      g_autoptr (FkSyncReceipt) receipt = NULL;
      const char *signature;

      for (guint i = 0; i < parts->len; i++)
        if (!upload_part (b, parts->pdata[i], &local))
          {
            /* Refused by the server, or a part damaged on this device:
             * retrying cannot help. */
            gboolean rejected = g_error_matches (local, FK_SYNC_ERROR, FK_SYNC_ERROR_REJECTED) ||
                                g_error_matches (local, FK_SYNC_ERROR, FK_SYNC_ERROR_CORRUPT) ||
                                g_error_matches (local, FK_STORE_ERROR, FK_STORE_ERROR_CORRUPT);

            g_propagate_error (error, g_steal_pointer (&local));
            return rejected ? DOSSIER_QUARANTINED : DOSSIER_STOP;
          }

      r = fk_sync_client_send (b->client, "POST", "/v1/commit", manifest_bytes, NULL, NULL,
                               b->cancellable);
      if (r->status == 409 && g_strcmp0 (r->error_code, "part-missing") == 0 && round < 2)
        continue;
      if (fk_sync_response_outcome (r) == FK_SYNC_OUTCOME_TRANSIENT)
        {
          if (!retry_after_failure (b, r, error))
            return DOSSIER_STOP;
          round = 0;
          continue;
        }
      if (fk_sync_response_outcome (r) != FK_SYNC_OUTCOME_OK)
        {
          set_outcome_error (r, error);
          return fk_sync_response_outcome (r) == FK_SYNC_OUTCOME_REJECTED ? DOSSIER_QUARANTINED
                                                                          : DOSSIER_STOP;
        }
      b->failures = 0;
      signature = r->headers != NULL
                    ? soup_message_headers_get_one (r->headers, FK_SYNC_HEADER_RECEIPT_SIG)
                    : NULL;
      receipt = fk_sync_receipt_verify (
        g_bytes_get_data (r->body, NULL), g_bytes_get_size (r->body), signature, b->verify_key, id,
        fk_sync_client_get_device (b->client), manifest_sha256, error);
      if (receipt == NULL)
        return DOSSIER_STOP;
      {
        g_autoptr (GBytes) record = receipt_record (r, signature);

        if (!fk_outbox_transition (b->store, id, FK_OUTBOX_DELIVERED, NULL, record, error))
          return DOSSIER_STOP;
      }
      return DOSSIER_DELIVERED;
    }
}

static guint
count_remaining (FkStore *store)
{
  g_autoptr (GPtrArray) queued = fk_outbox_list (store, FK_OUTBOX_QUEUED, NULL);
  g_autoptr (GPtrArray) uploading = fk_outbox_list (store, FK_OUTBOX_UPLOADING, NULL);

  return (queued != NULL ? queued->len : 0) + (uploading != NULL ? uploading->len : 0);
}

/* The options, with the defaults for what the caller left at 0. */
static void
batch_set_options (Batch *b, const FkUploadOptions *options)
{
  if (options != NULL)
    b->options = *options;
  if (b->options.chunk_size == 0)
    b->options.chunk_size = FK_SYNC_DEFAULT_CHUNK_BYTES;
  b->options.chunk_size = MIN (b->options.chunk_size, FK_SYNC_MAX_CHUNK_BYTES);
  if (b->options.timeout_seconds == 0)
    b->options.timeout_seconds = 30;
  if (b->options.max_retries == 0)
    b->options.max_retries = 8;
  if (b->options.retry_delay_ms == 0)
    b->options.retry_delay_ms = 500;
}

/* The dossiers of the batch: those a killed process left "uploading",
 * then the queue. Returns: (transfer full) (element-type utf8) */
static GPtrArray *
batch_list_todo (Batch *b, GError **error)
{
  g_autoptr (GPtrArray) todo = g_ptr_array_new_with_free_func (g_free);
  FkOutboxState states[] = { FK_OUTBOX_UPLOADING, FK_OUTBOX_QUEUED };

  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    {
      g_autoptr (GPtrArray) list = fk_outbox_list (b->store, states[s], error);

      if (list == NULL)
        return NULL;
      for (guint i = 0; i < list->len; i++)
        {
          const FkOutboxEntry *e = list->pdata[i];

          g_ptr_array_add (todo, g_strdup (e->id));
          b->bytes_total += e->bytes;
        }
    }
  b->dossiers_total = todo->len;
  return g_steal_pointer (&todo);
}

typedef enum
{
  BATCH_GO_ON,
  BATCH_STOP,   /* the server or the link stopped it; the dossier is queued again */
  BATCH_FAILED, /* the store failed */
} BatchStep;

/* Uploads one dossier of the batch and records the outcome; @stop_error
 * says why the batch stops, @error why it failed. */
static BatchStep
batch_upload (Batch *b, const char *id, GError **stop_error, GError **error)
{
  g_autoptr (FkOutboxEntry) entry = fk_outbox_get (b->store, id, error);
  g_autoptr (GError) local = NULL;
  DossierResult result;

  if (entry == NULL)
    return BATCH_FAILED;
  if (entry->state == FK_OUTBOX_QUEUED &&
      !fk_outbox_transition (b->store, id, FK_OUTBOX_UPLOADING, NULL, NULL, error))
    return BATCH_FAILED;
  result = upload_dossier (b, id, &local);
  if (result == DOSSIER_STOP)
    {
      /* The dossier goes back to the queue, the rest waits too. */
      fk_outbox_transition (b->store, id, FK_OUTBOX_QUEUED, NULL, NULL, NULL);
      g_propagate_error (stop_error, g_steal_pointer (&local));
      return BATCH_STOP;
    }
  if (result == DOSSIER_QUARANTINED)
    {
      if (!fk_outbox_transition (b->store, id, FK_OUTBOX_QUARANTINED, local->message, NULL, error))
        return BATCH_FAILED;
      b->summary->quarantined++;
    }
  else
    b->summary->delivered++;
  b->dossiers_done++;
  report_progress (b);
  return BATCH_GO_ON;
}

/**
 * fk_uploader_run:
 *
 * Uploads every queued dossier (and any left "uploading" by a process that
 * was killed). A dossier the server refuses for good is quarantined with
 * the server's reason and the batch goes on; a network or server failure
 * that outlasts the retries stops the batch with %FK_SYNC_ERROR_TRANSIENT
 * and leaves the rest queued; a refused device stops it with
 * %FK_SYNC_ERROR_AUTH.
 */
gboolean
fk_uploader_run (FkStore *store, const char *server_url, const FkUploadOptions *options,
                 FkUploadSummary *summary, GCancellable *cancellable, GError **error)
{
  Batch b = { 0 };
  g_autoptr (FkSyncClient) client = NULL;
  g_autoptr (GPtrArray) todo = NULL;
  g_autoptr (GError) stop_error = NULL;
  FkUploadSummary local_summary = { 0 };

  b.summary = summary != NULL ? summary : &local_summary;
  memset (b.summary, 0, sizeof *b.summary);
  batch_set_options (&b, options);
  b.store = store;
  b.cancellable = cancellable;
  if (!fk_uploader_get_verify_key (store, b.verify_key, error))
    return FALSE;
  client = fk_sync_client_new (server_url, fk_store_get_device_key (store),
                               b.options.timeout_seconds, error);
  if (client == NULL ||
      (b.options.ca_file != NULL && !fk_sync_client_set_ca_file (client, b.options.ca_file, error)))
    return FALSE;
  b.client = client;

  todo = batch_list_todo (&b, error);
  if (todo == NULL)
    return FALSE;
  report_progress (&b);
  for (guint i = 0; i < todo->len; i++)
    {
      BatchStep step = batch_upload (&b, todo->pdata[i], &stop_error, error);

      /* What the server said of its time holds however the batch ends. */
      b.summary->clock_offset = fk_sync_client_get_clock_offset (client);
      b.summary->clock_known = fk_sync_client_get_clock_known (client);
      if (step == BATCH_FAILED)
        return FALSE;
      if (step == BATCH_STOP)
        break;
    }
  b.summary->remaining = count_remaining (store);
  if (stop_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&stop_error));
      return FALSE;
    }
  /* The home screen's "last sync": a batch that reached the server and
   * sent all it had. */
  if (todo->len > 0 && b.summary->remaining == 0)
    {
      g_autofree char *now =
        g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / G_USEC_PER_SEC);

      fk_store_set_setting (store, LAST_SYNC_KEY, now, NULL);
    }
  return TRUE;
}

/* Unix time of the last batch that sent everything it had, 0: never. */
gint64
fk_uploader_get_last_success (FkStore *store)
{
  g_autofree char *text = fk_store_get_setting (store, LAST_SYNC_KEY);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : 0;
}
