/* fk-speech.c: texts read aloud with espeak-ng through GStreamer
 *
 * espeak-ng keeps global state: one synthesis at a time in the process
 * (synth_mutex), in synchronous mode, its callback handing each block of
 * samples on. An utterance is a pipeline
 *
 *   appsrc (S16LE mono, timestamped) ! audioconvert ! audioresample ! SINK
 *
 * where SINK is autoaudiosink, or `identity sync=true ! wavenc ! filesink`
 * for the simulated device: the identity paces the file as the sound would
 * be heard. A worker thread synthesises into the appsrc, which blocks when
 * a second of sound waits, so stopping costs at most that much synthesis.
 * The pipeline's bus is watched in the caller's main context: end of
 * stream completes the utterance, an error fails it. Stopping sets a flag
 * the synthesis callback reads (it then aborts espeak-ng) and ends the
 * stream: the sound output drops what it still had queued, the simulated
 * WAV keeps it (what was heard, and at most the second queued after).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <errno.h>
#include <espeak-ng/speak_lib.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>

#include "fk-hw-error.h"
#include "fk-speech-private.h"

#define VOICE "vi"

static GMutex synth_mutex; /* espeak-ng's voice, parameters and synthesis */
static gint synth_rate;    /* its sample rate once initialised; -1 when it failed */

typedef struct
{
  gboolean (*push) (gpointer data, const short *samples, int n);
  gpointer data;
  gint *stop; /* atomic: non-zero aborts the synthesis */
} Sink;

/* Every block espeak-ng makes goes to the sink of the synthesis. */
static int
synth_callback (short *samples, int n, espeak_EVENT *events)
{
  Sink *sink = events != NULL ? events->user_data : NULL;

  if (sink == NULL || g_atomic_int_get (sink->stop))
    return 1;
  if (samples != NULL && n > 0 && !sink->push (sink->data, samples, n))
    return 1;
  return 0;
}

/* espeak-ng initialised once for the process (never under synth_mutex, so
 * that the main thread asking for the rate never waits on a synthesis):
 * its sample rate, or 0 with an error. */
static int
synth_sample_rate (GError **error)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      /* DONT_EXIT: without its data espeak-ng would end the process. */
      int rate =
        espeak_Initialize (AUDIO_OUTPUT_SYNCHRONOUS, 200, NULL, espeakINITIALIZE_DONT_EXIT);

      if (rate > 0)
        espeak_SetSynthCallback (synth_callback);
      g_atomic_int_set (&synth_rate, rate > 0 ? rate : -1);
      g_once_init_leave (&once, 1);
    }
  if (g_atomic_int_get (&synth_rate) > 0)
    return g_atomic_int_get (&synth_rate);
  g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_SPEECH_NO_VOICE,
                       _ ("The Vietnamese voice cannot be loaded: install espeak-ng and "
                          "espeak-ng-data."));
  return 0;
}

/* Synthesises @text into @sink; returns espeak-ng's sample rate, 0 on error. */
static int
synthesize (const char *text, guint rate, Sink *sink, GError **error)
{
  espeak_ERROR status;
  int sample_rate = synth_sample_rate (error);

  if (sample_rate == 0)
    return 0;
  g_mutex_lock (&synth_mutex);
  if (espeak_SetVoiceByName (VOICE) != EE_OK)
    {
      g_mutex_unlock (&synth_mutex);
      g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_SPEECH_NO_VOICE,
                           _ ("The Vietnamese voice cannot be loaded: install espeak-ng and "
                              "espeak-ng-data."));
      return 0;
    }
  espeak_SetParameter (espeakRATE, (int) CLAMP (rate, FK_SPEECH_RATE_MIN, FK_SPEECH_RATE_MAX), 0);
  status =
    espeak_Synth (text, strlen (text) + 1, 0, POS_CHARACTER, 0, espeakCHARS_UTF8, NULL, sink);
  g_mutex_unlock (&synth_mutex);
  if (status != EE_OK && !g_atomic_int_get (sink->stop))
    {
      g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_SPEECH_FAILED,
                           _ ("The text could not be turned into speech."));
      return 0;
    }
  return sample_rate;
}

static gboolean
push_bytes (gpointer data, const short *samples, int n)
{
  g_byte_array_append (data, (const guint8 *) samples, (guint) n * sizeof (short));
  return TRUE;
}

/**
 * fk_speech_synthesize:
 * @text: what to say, UTF-8
 * @words_per_minute: the speed
 * @out_sample_rate: (out): samples a second
 *
 * The speech of @text as 16-bit mono samples, made in the calling thread
 * (for benchmarks and checks; devices play it with fk_speech_say_async()).
 *
 * Returns: (transfer full) (nullable): the samples, native byte order
 */
GBytes *
fk_speech_synthesize (const char *text, guint words_per_minute, guint *out_sample_rate,
                      GError **error)
{
  g_autoptr (GByteArray) samples = g_byte_array_new ();
  gint stop = 0;
  Sink sink = { push_bytes, samples, &stop };
  int rate;

  g_return_val_if_fail (text != NULL, NULL);
  rate = synthesize (text, words_per_minute, &sink, error);
  if (rate == 0)
    return NULL;
  if (out_sample_rate != NULL)
    *out_sample_rate = (guint) rate;
  return g_byte_array_free_to_bytes (g_steal_pointer (&samples));
}

/* One text being said: its pipeline, the synthesis feeding it. */
typedef struct
{
  gint ref;
  gint stop;
  GstElement *pipeline;
  GstAppSrc *src;
  guint64 samples; /* pushed so far, for the timestamps */
  int sample_rate;
  char *text;
  guint rate;
  char *wav_path; /* simulated: where the WAV goes once complete */
  char *tmp_path;
  GSource *bus_source;
  GTask *task; /* until the utterance ends */
  gulong cancelled_id;
} Utterance;

static Utterance *
utterance_ref (Utterance *u)
{
  g_atomic_int_inc (&u->ref);
  return u;
}

static void
utterance_unref (Utterance *u)
{
  if (!g_atomic_int_dec_and_test (&u->ref))
    return;
  if (u->pipeline != NULL)
    gst_element_set_state (u->pipeline, GST_STATE_NULL);
  g_clear_object (&u->pipeline);
  g_clear_object (&u->src);
  if (u->tmp_path != NULL)
    g_unlink (u->tmp_path);
  g_free (u->tmp_path);
  g_free (u->wav_path);
  g_free (u->text);
  g_free (u);
}

struct _FkSpeech
{
  GObject parent_instance;

  char *wav_path; /* simulated device; NULL for the sound output */
  guint rate;
  Utterance *current;
};

enum
{
  PROP_0,
  PROP_RATE,
  PROP_SPEAKING,
  N_PROPS
};

static GParamSpec *props[N_PROPS];

G_DEFINE_FINAL_TYPE (FkSpeech, fk_speech, G_TYPE_OBJECT)

static gboolean
push_to_pipeline (gpointer data, const short *samples, int n)
{
  Utterance *u = data;
  GstBuffer *buffer = gst_buffer_new_memdup (samples, (gsize) n * sizeof (short));

  GST_BUFFER_PTS (buffer) = gst_util_uint64_scale (u->samples, GST_SECOND, u->sample_rate);
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (n, GST_SECOND, u->sample_rate);
  u->samples += (guint64) n;
  /* Blocks while a second of sound waits; FLUSHING once stopped. */
  return gst_app_src_push_buffer (u->src, buffer) == GST_FLOW_OK;
}

static gpointer
synth_thread (gpointer data)
{
  Utterance *u = data;
  Sink sink = { push_to_pipeline, u, &u->stop };
  g_autoptr (GError) error = NULL;

  if (synthesize (u->text, u->rate, &sink, &error) == 0 && error != NULL)
    GST_ELEMENT_ERROR (u->src, RESOURCE, FAILED, ("%s", error->message), (NULL));
  gst_app_src_end_of_stream (u->src);
  utterance_unref (u);
  return NULL;
}

static void
set_speaking (FkSpeech *self, Utterance *u)
{
  self->current = u;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SPEAKING]);
}

/* The utterance ends: with @error (transfer full), or at the end of its
 * stream (whole, or up to where it was stopped). */
static void
finish (FkSpeech *self, Utterance *u, GError *error)
{
  g_autoptr (GTask) task = g_steal_pointer (&u->task);

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (u->bus_source != NULL)
    {
      g_source_destroy (u->bus_source);
      g_clear_pointer (&u->bus_source, g_source_unref);
    }
  g_cancellable_disconnect (g_task_get_cancellable (task), u->cancelled_id);
  gst_element_set_state (u->pipeline, GST_STATE_NULL);
  /* The simulated WAV, complete once its stream ended (what was heard
   * when stopped), replaces the last one. */
  if (u->tmp_path != NULL && error == NULL && g_rename (u->tmp_path, u->wav_path) == 0)
    g_clear_pointer (&u->tmp_path, g_free);
  if (self->current == u)
    set_speaking (self, NULL);
  if (error == NULL && g_atomic_int_get (&u->stop))
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _ ("Stopped."));
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
  utterance_unref (u);
}

static gboolean
on_bus_message (GstBus *bus, GstMessage *message, gpointer data)
{
  Utterance *u = data;
  FkSpeech *self = u->task != NULL ? g_task_get_source_object (u->task) : NULL;
  g_autoptr (GError) gst_error = NULL;

  if (self == NULL)
    return G_SOURCE_REMOVE;
  switch (GST_MESSAGE_TYPE (message))
    {
      case GST_MESSAGE_EOS:
        finish (self, u, NULL);
        return G_SOURCE_REMOVE;
      case GST_MESSAGE_ERROR:
        gst_message_parse_error (message, &gst_error, NULL);
        g_atomic_int_set (&u->stop, 1);
        finish (self, u,
                u->wav_path != NULL
                  ? g_error_new (FK_HW_ERROR, FK_HW_ERROR_SPEECH_FAILED,
                                 _ ("The speech could not be written: %s"), gst_error->message)
                  : g_error_new (FK_HW_ERROR, FK_HW_ERROR_SPEECH_NO_SOUND,
                                 _ ("No sound output (speaker or headphones): %s"),
                                 gst_error->message));
        return G_SOURCE_REMOVE;
      default:
        return G_SOURCE_CONTINUE;
    }
}

static void
fk_speech_finalize (GObject *object)
{
  FkSpeech *self = FK_SPEECH (object);

  fk_speech_stop (self);
  g_free (self->wav_path);
  G_OBJECT_CLASS (fk_speech_parent_class)->finalize (object);
}

static void
fk_speech_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FkSpeech *self = FK_SPEECH (object);

  switch (prop_id)
    {
      case PROP_RATE:
        g_value_set_uint (value, self->rate);
        break;
      case PROP_SPEAKING:
        g_value_set_boolean (value, self->current != NULL);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_speech_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
      case PROP_RATE:
        fk_speech_set_rate (FK_SPEECH (object), g_value_get_uint (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_speech_class_init (FkSpeechClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fk_speech_finalize;
  object_class->get_property = fk_speech_get_property;
  object_class->set_property = fk_speech_set_property;
  /* Words a minute, for the next text said. */
  props[PROP_RATE] = g_param_spec_uint (
    "rate", NULL, NULL, FK_SPEECH_RATE_MIN, FK_SPEECH_RATE_MAX, FK_SPEECH_RATE_DEFAULT,
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* A text is being said. */
  props[PROP_SPEAKING] =
    g_param_spec_boolean ("speaking", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
}

static void
fk_speech_init (FkSpeech *self)
{
  self->rate = FK_SPEECH_RATE_DEFAULT;
}

FkSpeech *
fk_speech_new (const char *wav_path)
{
  FkSpeech *self = g_object_new (FK_TYPE_SPEECH, NULL);

  self->wav_path = g_strdup (wav_path);
  return self;
}

guint
fk_speech_get_rate (FkSpeech *self)
{
  g_return_val_if_fail (FK_IS_SPEECH (self), FK_SPEECH_RATE_DEFAULT);
  return self->rate;
}

void
fk_speech_set_rate (FkSpeech *self, guint words_per_minute)
{
  g_return_if_fail (FK_IS_SPEECH (self));
  words_per_minute = CLAMP (words_per_minute, FK_SPEECH_RATE_MIN, FK_SPEECH_RATE_MAX);
  if (self->rate == words_per_minute)
    return;
  self->rate = words_per_minute;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RATE]);
}

gboolean
fk_speech_get_speaking (FkSpeech *self)
{
  g_return_val_if_fail (FK_IS_SPEECH (self), FALSE);
  return self->current != NULL;
}

/* Stops @u where it is: the stream ends (the simulated WAV keeps what was
 * heard) and the synthesis aborts. Any thread (a cancellable's). */
static void
end_stream (GCancellable *cancellable, Utterance *u)
{
  if (g_atomic_int_exchange (&u->stop, 1))
    return;
  /* The sound waiting in the queues is dropped at once; the simulated
   * WAV keeps it, its writer would start over on a flush. */
  if (u->wav_path == NULL)
    {
      gst_element_send_event (u->pipeline, gst_event_new_flush_start ());
      gst_element_send_event (u->pipeline, gst_event_new_flush_stop (FALSE));
    }
  gst_element_send_event (u->pipeline, gst_event_new_eos ());
}

/* The pipeline of @u, to the sound output or the simulated WAV. */
static gboolean
build_pipeline (FkSpeech *self, Utterance *u, GError **error)
{
  g_autofree char *description = NULL;
  g_autoptr (GstCaps) caps = NULL;
  GError *parse_error = NULL;

  if (self->wav_path != NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self->wav_path);
      g_autofree char *quoted = NULL;
      int fd;

      u->wav_path = g_strdup (self->wav_path);
      /* Beside the WAV, so that the rename is atomic. */
      u->tmp_path = g_build_filename (dir, ".fieldkit-speech-XXXXXX", NULL);
      fd = g_mkstemp (u->tmp_path);
      if (fd < 0)
        {
          int errsv = errno;

          g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_SPEECH_FAILED,
                       _ ("The speech could not be written: %s: %s"), self->wav_path,
                       g_strerror (errsv));
          g_clear_pointer (&u->tmp_path, g_free);
          return FALSE;
        }
      g_close (fd, NULL);
      quoted = g_strescape (u->tmp_path, NULL);
      description = g_strdup_printf ("appsrc name=src ! audioconvert ! audioresample ! identity "
                                     "sync=true ! wavenc ! filesink location=\"%s\"",
                                     quoted);
    }
  else
    description = g_strdup ("appsrc name=src ! audioconvert ! audioresample ! autoaudiosink");
  u->pipeline = gst_parse_launch (description, &parse_error);
  if (u->pipeline == NULL)
    {
      g_set_error (error, FK_HW_ERROR, FK_HW_ERROR_SPEECH_NO_SOUND,
                   _ ("No sound output (speaker or headphones): %s"), parse_error->message);
      g_error_free (parse_error);
      return FALSE;
    }
  g_clear_error (&parse_error);
  u->src = GST_APP_SRC (gst_bin_get_by_name (GST_BIN (u->pipeline), "src"));
  caps = gst_caps_new_simple ("audio/x-raw", "format", G_TYPE_STRING, "S16LE", "layout",
                              G_TYPE_STRING, "interleaved", "rate", G_TYPE_INT, u->sample_rate,
                              "channels", G_TYPE_INT, 1, NULL);
  g_object_set (u->src, "caps", caps, "format", GST_FORMAT_TIME, "block", TRUE, "max-bytes",
                (guint64) u->sample_rate * sizeof (short), NULL);
  return TRUE;
}

/**
 * fk_speech_say_async:
 * @text: what to say, UTF-8, in Vietnamese
 *
 * Says @text at the speed of fk_speech_get_rate(), stopping a text still
 * being said. Completes when it has all been said; with
 * %G_IO_ERROR_CANCELLED when stopped (fk_speech_stop(), @cancellable, or
 * another text), %FK_HW_ERROR_SPEECH_NO_VOICE, _NO_SOUND or _FAILED.
 */
void
fk_speech_say_async (FkSpeech *self, const char *text, GCancellable *cancellable,
                     GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GstBus) bus = NULL;
  GError *error = NULL;
  Utterance *u;

  g_return_if_fail (FK_IS_SPEECH (self));
  g_return_if_fail (text != NULL);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_speech_say_async);
  fk_speech_stop (self);
  gst_init (NULL, NULL);
  u = g_new0 (Utterance, 1);
  u->ref = 1;
  u->text = g_strdup (text);
  u->rate = self->rate;
  u->sample_rate = synth_sample_rate (&error);
  if (u->sample_rate == 0 || !build_pipeline (self, u, &error) ||
      gst_element_set_state (u->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      if (error == NULL)
        error = g_error_new_literal (FK_HW_ERROR, FK_HW_ERROR_SPEECH_NO_SOUND,
                                     _ ("No sound output (speaker or headphones) could be "
                                        "opened."));
      utterance_unref (u);
      g_task_return_error (task, error);
      return;
    }
  u->task = g_steal_pointer (&task);
  bus = gst_element_get_bus (u->pipeline);
  u->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (u->bus_source, (GSourceFunc) (void (*) (void)) on_bus_message, u, NULL);
  g_source_attach (u->bus_source, g_task_get_context (u->task));
  if (cancellable != NULL)
    u->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (end_stream),
                                             utterance_ref (u), (GDestroyNotify) utterance_unref);
  set_speaking (self, u);
  g_thread_unref (g_thread_new ("fk-speech", synth_thread, utterance_ref (u)));
}

/**
 * fk_speech_say_finish:
 *
 * Returns: %TRUE once the whole text was said
 */
gboolean
fk_speech_say_finish (FkSpeech *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_speech_say_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * fk_speech_stop:
 *
 * Stops the text being said, if any: its say_async completes with
 * %G_IO_ERROR_CANCELLED as soon as the stream has ended (in the main loop).
 */
void
fk_speech_stop (FkSpeech *self)
{
  Utterance *u;

  g_return_if_fail (FK_IS_SPEECH (self));
  u = self->current;
  if (u == NULL)
    return;
  end_stream (NULL, u);
  set_speaking (self, NULL);
}
