/* fk-speech-private.h: the speech device's constructor, for the factory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fk-speech.h"

G_BEGIN_DECLS

/* @wav_path: (nullable): the simulated device's WAV file; %NULL plays on
 * the default sound output. */
FkSpeech *fk_speech_new (const char *wav_path);

G_END_DECLS
