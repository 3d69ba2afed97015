/* fk-speech.h: texts read aloud in Vietnamese, with espeak-ng
 *
 * espeak-ng's Vietnamese voice ("vi") makes the sound, which GStreamer
 * plays: on the default sound output (PipeWire, PulseAudio or ALSA,
 * `autoaudiosink`) for real hardware, into a WAV file when simulated (the
 * device factory's FIELDKIT_SIM_SPEECH), paced as if it were heard, so
 * that speaking lasts as long as the sound and can be stopped half way.
 * Saying runs in a worker thread and the pipeline: the caller's main loop
 * never waits. One text at a time: a new one stops the one before.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Words a minute: espeak-ng's own is 175; elderly listeners follow 130. */
#define FK_SPEECH_RATE_DEFAULT 130
#define FK_SPEECH_RATE_MIN     80
#define FK_SPEECH_RATE_MAX     260

#define FK_TYPE_SPEECH (fk_speech_get_type ())
G_DECLARE_FINAL_TYPE (FkSpeech, fk_speech, FK, SPEECH, GObject)

guint fk_speech_get_rate (FkSpeech *self);
void fk_speech_set_rate (FkSpeech *self, guint words_per_minute);
gboolean fk_speech_get_speaking (FkSpeech *self);

void fk_speech_say_async (FkSpeech *self, const char *text, GCancellable *cancellable,
                          GAsyncReadyCallback callback, gpointer user_data);
gboolean fk_speech_say_finish (FkSpeech *self, GAsyncResult *result, GError **error);
void fk_speech_stop (FkSpeech *self);

GBytes *fk_speech_synthesize (const char *text, guint words_per_minute, guint *out_sample_rate,
                              GError **error);

G_END_DECLS
