/* fk-server-response.c: an answer as the workers build it, and the
 * request's reference count (held by the HTTP thread and, while it runs,
 * a worker)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-server-private.h"

#include <string.h>

FkServerResponse *
fk_server_response_new (guint status)
{
  FkServerResponse *self = g_new0 (FkServerResponse, 1);

  self->status = status;
  self->headers = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
fk_server_response_free (FkServerResponse *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->body, g_bytes_unref);
  g_ptr_array_unref (self->headers);
  g_free (self->error_code);
  g_free (self);
}

void
fk_server_response_add_header (FkServerResponse *self, const char *name, const char *value)
{
  g_ptr_array_add (self->headers, g_strdup (name));
  g_ptr_array_add (self->headers, g_strdup (value));
}

FkServerResponse *
fk_server_response_json (guint status, JsonBuilder *builder)
{
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (builder);

  json_generator_set_root (gen, root);
  return fk_server_response_text (status, "application/json", json_generator_to_data (gen, NULL));
}

/* Takes @text. */
FkServerResponse *
fk_server_response_text (guint status, const char *content_type, char *text)
{
  FkServerResponse *self = fk_server_response_new (status);

  self->content_type = content_type;
  self->body = g_bytes_new_take (text, strlen (text));
  return self;
}

FkServerResponse *
fk_server_response_error (guint status, const char *code, const char *message)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  FkServerResponse *self;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  self = fk_server_response_json (status, b);
  self->error_code = g_strdup (code);
  /* HEAD answers carry no body: the code goes in a header too. */
  fk_server_response_add_header (self, "FK-Error", code);
  return self;
}

FkServerRequest *
fk_server_request_ref (FkServerRequest *req)
{
  g_atomic_int_inc (&req->ref);
  return req;
}

void
fk_server_request_unref (FkServerRequest *req)
{
  if (req == NULL || !g_atomic_int_dec_and_test (&req->ref))
    return;
  g_free (req->method);
  g_free (req->target);
  g_free (req->path);
  g_free (req->query);
  g_free (req->blob);
  g_free (req->upload_offset);
  g_free (req->cookie);
  g_free (req->content_type);
  g_free (req->origin);
  g_free (req->fetch_site);
  g_free (req->host);
  g_clear_pointer (&req->auth, fk_sync_request_auth_free);
  g_free (req->device_name);
  g_free (req->dossier);
  if (req->body != NULL)
    g_byte_array_unref (req->body);
  fk_server_response_free (req->response);
  g_free (req);
}
