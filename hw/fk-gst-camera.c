/* fk-gst-camera.c: FkCamera on GStreamer
 *
 *   source ! videoconvert ! tee ─ queue ! videoconvert ! RGB  ! appsink "preview"
 *                               └ queue ! videoconvert ! Y    ! appsink "luma"
 *
 * The source is libcamerasrc (Raspberry Pi) or v4l2src (USB and tablet
 * cameras), or, simulated, an image file frozen into a live stream or
 * videotestsrc. The luma branch accepts NV12, I420 or GRAY8, so with a
 * camera already delivering one of them its converter passes buffers
 * through and the scanner reads the Y plane in place. Both appsinks keep
 * only the newest buffer: a slow consumer drops frames, never queues them.
 *
 * Torch: on a V4L2 camera, the flash LED control of the device GStreamer
 * opened, in torch mode, when the driver offers that mode. libcamerasrc
 * exposes no flash control, so there the torch is unsupported. A simulated
 * camera has one only with FIELDKIT_SIM_TORCH=1, and its light is a
 * videobalance that brightens the frames, so a test can see it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <linux/videodev2.h>
#include <sys/ioctl.h>

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#include "fk-gst-camera.h"
#include "fk-hw-error.h"

#define SIM_FRAMERATE "15/1"
/* Sim torch: a visible lift of every pixel, small enough that a card's QR
 * code still reads. */
#define SIM_TORCH_BRIGHTNESS 0.3

#define PIPELINE_TAIL                                                        \
  " ! videoconvert ! tee name=t"                                             \
  " t. ! queue leaky=downstream max-size-buffers=1 ! videoconvert"           \
  " ! video/x-raw,format=RGB ! appsink name=preview max-buffers=1 drop=true" \
  " t. ! queue leaky=downstream max-size-buffers=1 ! videoconvert"           \
  " ! video/x-raw,format={NV12,I420,GRAY8} ! appsink name=luma max-buffers=1 drop=true"

struct _FkGstCamera
{
  GObject parent_instance;

  gboolean sim;
  char *source;   /* device, image file, or NULL */
  int max_frames; /* simulated: frames before the camera "is unplugged"; -1 never */

  GMainContext *context;
  GstElement *pipeline;
  GSource *bus_source;
  FkCameraState state;
  GError *error;
  gboolean got_preview; /* both branches have delivered since start: a */
  gboolean got_luma;    /* still can be taken once the state is RUNNING */
  gboolean torch_supported;
  gboolean torch;

  GMutex lock; /* guards the fields below, written by streaming threads */
  GstSample *preview_sample;
  GstSample *luma_sample;
  gboolean dispatch_pending;
};

static void fk_gst_camera_iface_init (FkCameraInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FkGstCamera, fk_gst_camera, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (FK_TYPE_CAMERA, fk_gst_camera_iface_init))

enum
{
  PROP_0,
  PROP_STATE,
  PROP_TORCH_SUPPORTED,
  PROP_TORCH,
};

static void
set_state (FkGstCamera *self, FkCameraState state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify (G_OBJECT (self), "state");
}

/* The fd of the V4L2 device GStreamer opened, or -1 (no pipeline, not a
 * V4L2 source, or not open). */
static int
v4l2_fd (FkGstCamera *self)
{
  g_autoptr (GstElement) src = NULL;
  GstElementFactory *factory;
  int fd = -1;

  if (self->sim || self->pipeline == NULL)
    return -1;
  src = gst_bin_get_by_name (GST_BIN (self->pipeline), "src");
  factory = src != NULL ? gst_element_get_factory (src) : NULL;
  if (factory == NULL || !g_str_equal (GST_OBJECT_NAME (factory), "v4l2src"))
    return -1;
  g_object_get (src, "device-fd", &fd, NULL);
  return fd;
}

/* Torch mode must be one of the device's flash LED modes; most USB cameras
 * have no flash control at all. */
static gboolean
v4l2_has_torch (int fd)
{
  struct v4l2_queryctrl query = { .id = V4L2_CID_FLASH_LED_MODE };
  struct v4l2_querymenu item = { .id = V4L2_CID_FLASH_LED_MODE,
                                 .index = V4L2_FLASH_LED_MODE_TORCH };

  if (ioctl (fd, VIDIOC_QUERYCTRL, &query) < 0 || query.type != V4L2_CTRL_TYPE_MENU ||
      (query.flags & (V4L2_CTRL_FLAG_DISABLED | V4L2_CTRL_FLAG_READ_ONLY)) != 0)
    return FALSE;
  if (V4L2_FLASH_LED_MODE_TORCH < query.minimum || V4L2_FLASH_LED_MODE_TORCH > query.maximum)
    return FALSE;
  return ioctl (fd, VIDIOC_QUERYMENU, &item) == 0;
}

static gboolean
apply_torch (FkGstCamera *self, gboolean on)
{
  if (self->sim)
    {
      g_autoptr (GstElement) light =
        self->pipeline != NULL ? gst_bin_get_by_name (GST_BIN (self->pipeline), "torch") : NULL;

      if (light == NULL)
        return FALSE;
      g_object_set (light, "brightness", on ? SIM_TORCH_BRIGHTNESS : 0.0, NULL);
      return TRUE;
    }
  else
    {
      struct v4l2_control control = {
        .id = V4L2_CID_FLASH_LED_MODE,
        .value = on ? V4L2_FLASH_LED_MODE_TORCH : V4L2_FLASH_LED_MODE_NONE,
      };
      int fd = v4l2_fd (self);

      if (fd < 0)
        return FALSE;
      if (ioctl (fd, VIDIOC_S_CTRL, &control) < 0)
        {
          g_debug ("camera: torch %s: %s", on ? "on" : "off", g_strerror (errno));
          return FALSE;
        }
      return TRUE;
    }
}

static void
set_torch_supported (FkGstCamera *self, gboolean supported)
{
  if (self->torch_supported == supported)
    return;
  self->torch_supported = supported;
  g_object_notify (G_OBJECT (self), "torch-supported");
}

static void
set_torch (FkGstCamera *self, gboolean requested)
{
  gboolean was = self->torch;
  gboolean on = FALSE;

  if (requested)
    on = self->torch_supported && apply_torch (self, TRUE);
  else if (was)
    apply_torch (self, FALSE);
  self->torch = on;
  /* a refused request is notified too, so a bound toggle button springs back */
  if (was != on || requested != on)
    g_object_notify (G_OBJECT (self), "torch");
}

static void
detect_torch (FkGstCamera *self)
{
  int fd;

  if (self->sim)
    {
      set_torch_supported (self, g_strcmp0 (g_getenv ("FIELDKIT_SIM_TORCH"), "1") == 0);
      return;
    }
  fd = v4l2_fd (self);
  set_torch_supported (self, fd >= 0 && v4l2_has_torch (fd));
}

static void
teardown (FkGstCamera *self)
{
  /* the light goes off with the camera, while the device is still open */
  set_torch (self, FALSE);
  set_torch_supported (self, FALSE);
  if (self->pipeline != NULL)
    gst_element_set_state (self->pipeline, GST_STATE_NULL);
  if (self->bus_source != NULL)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }
  gst_clear_object (&self->pipeline);
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->preview_sample, gst_sample_unref);
  g_clear_pointer (&self->luma_sample, gst_sample_unref);
  g_mutex_unlock (&self->lock);
}

/* Turns what GStreamer reports into something an officer can act on. */
static GError *
map_error (FkGstCamera *self, const GError *gst_error, gboolean at_start)
{
  const char *what = self->source != NULL ? self->source : _ ("the camera");

  if (gst_error->domain == GST_RESOURCE_ERROR)
    switch (gst_error->code)
      {
        case GST_RESOURCE_ERROR_NOT_FOUND:
          return g_error_new (FK_HW_ERROR, FK_HW_ERROR_CAMERA_MISSING,
                              _ ("No camera found (%s). Check that it is plugged in."), what);
        case GST_RESOURCE_ERROR_BUSY:
          return g_error_new_literal (FK_HW_ERROR, FK_HW_ERROR_CAMERA_BUSY,
                                      _ ("The camera is in use by another program. Close it and "
                                         "try again."));
        case GST_RESOURCE_ERROR_OPEN_READ:
        case GST_RESOURCE_ERROR_OPEN_READ_WRITE:
        case GST_RESOURCE_ERROR_OPEN_WRITE:
          return g_error_new (FK_HW_ERROR, FK_HW_ERROR_CAMERA_MISSING,
                              _ ("Cannot open the camera (%s): %s. Check that it is plugged in."),
                              what, gst_error->message);
        default:
          break;
      }
  if (!at_start)
    return g_error_new_literal (FK_HW_ERROR, FK_HW_ERROR_CAMERA_DISCONNECTED,
                                _ ("The camera stopped sending pictures; it may have been "
                                   "unplugged. Plug it back in and try again."));
  return g_error_new (FK_HW_ERROR, FK_HW_ERROR_CAMERA_FAILED, _ ("The camera failed: %s"),
                      gst_error->message);
}

static void
fail (FkGstCamera *self, GError *error)
{
  g_clear_error (&self->error);
  self->error = error;
  teardown (self);
  set_state (self, FK_CAMERA_STATE_ERROR);
}

static gboolean
on_bus_message (GstBus *bus, GstMessage *message, gpointer user_data)
{
  FkGstCamera *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
      case GST_MESSAGE_ERROR:
        {
          g_autoptr (GError) gst_error = NULL;
          g_autofree char *debug = NULL;

          gst_message_parse_error (message, &gst_error, &debug);
          g_debug ("camera: %s (%s)", gst_error->message, debug != NULL ? debug : "");
          fail (self, map_error (self, gst_error, self->state != FK_CAMERA_STATE_RUNNING));
          return G_SOURCE_REMOVE;
        }
      case GST_MESSAGE_EOS:
        /* a camera never ends on its own: the device went away */
        fail (self, g_error_new_literal (FK_HW_ERROR, FK_HW_ERROR_CAMERA_DISCONNECTED,
                                         _ ("The camera stopped sending pictures; it may have "
                                            "been unplugged. Plug it back in and try again.")));
        return G_SOURCE_REMOVE;
      default:
        return G_SOURCE_CONTINUE;
    }
}

typedef struct
{
  GstVideoFrame frame;
} MappedFrame;

static void
mapped_frame_free (gpointer data)
{
  MappedFrame *m = data;

  gst_video_frame_unmap (&m->frame);
  g_free (m);
}

/* Maps plane 0 of @sample's buffer and wraps it in GBytes that keep the
 * buffer mapped and referenced: no pixel is copied. */
static GBytes *
map_plane0 (GstSample *sample, int *width, int *height, int *stride)
{
  GstVideoInfo info;
  MappedFrame *m;
  gsize size;

  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample)))
    return NULL;
  m = g_new0 (MappedFrame, 1);
  if (!gst_video_frame_map (&m->frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ))
    {
      g_free (m);
      return NULL;
    }
  *width = GST_VIDEO_FRAME_WIDTH (&m->frame);
  *height = GST_VIDEO_FRAME_HEIGHT (&m->frame);
  *stride = GST_VIDEO_FRAME_PLANE_STRIDE (&m->frame, 0);
  size = (gsize) *stride * *height;
  return g_bytes_new_with_free_func (GST_VIDEO_FRAME_PLANE_DATA (&m->frame, 0), size,
                                     mapped_frame_free, m);
}

static FkCameraFrame *
frame_from_sample (GstSample *sample)
{
  FkCameraFrame *frame;
  int w, h, stride;
  GBytes *bytes = map_plane0 (sample, &w, &h, &stride);

  if (bytes == NULL)
    return NULL;
  frame = g_atomic_rc_box_new0 (FkCameraFrame);
  frame->pixels = bytes;
  frame->width = w;
  frame->height = h;
  frame->stride = stride;
  return frame;
}

static FkGrayImage *
luma_from_sample (GstSample *sample)
{
  int w, h, stride;
  g_autoptr (GBytes) bytes = map_plane0 (sample, &w, &h, &stride);

  if (bytes == NULL)
    return NULL;
  return fk_gray_image_new_for_bytes (bytes, w, h, stride);
}

static gboolean
dispatch_frames (gpointer user_data)
{
  FkGstCamera *self = user_data;
  g_autoptr (GstSample) preview = NULL;
  g_autoptr (GstSample) luma = NULL;

  g_mutex_lock (&self->lock);
  self->dispatch_pending = FALSE;
  preview = g_steal_pointer (&self->preview_sample);
  luma = g_steal_pointer (&self->luma_sample);
  /* keep the newest for capture_still */
  if (preview != NULL)
    self->preview_sample = gst_sample_ref (preview);
  if (luma != NULL)
    self->luma_sample = gst_sample_ref (luma);
  g_mutex_unlock (&self->lock);

  if (self->pipeline == NULL)
    return G_SOURCE_REMOVE;
  self->got_preview |= preview != NULL;
  self->got_luma |= luma != NULL;
  if (self->state == FK_CAMERA_STATE_STARTING && self->got_preview && self->got_luma)
    set_state (self, FK_CAMERA_STATE_RUNNING);
  if (preview != NULL)
    {
      g_autoptr (FkCameraFrame) frame = frame_from_sample (preview);

      if (frame != NULL)
        g_signal_emit_by_name (self, "preview-frame", frame);
    }
  if (luma != NULL && self->pipeline != NULL)
    {
      g_autoptr (FkGrayImage) image = luma_from_sample (luma);

      if (image != NULL)
        g_signal_emit_by_name (self, "luma-frame", image);
    }
  return G_SOURCE_REMOVE;
}

/* Streaming thread: keep the newest sample, wake the main context once. */
static GstFlowReturn
on_new_sample (GstAppSink *sink, gpointer user_data)
{
  FkGstCamera *self = user_data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  gboolean is_luma = g_str_equal (GST_OBJECT_NAME (sink), "luma");
  gboolean schedule;

  if (sample == NULL)
    return GST_FLOW_OK;
  g_mutex_lock (&self->lock);
  if (is_luma)
    {
      g_clear_pointer (&self->luma_sample, gst_sample_unref);
      self->luma_sample = sample;
    }
  else
    {
      g_clear_pointer (&self->preview_sample, gst_sample_unref);
      self->preview_sample = sample;
    }
  schedule = !self->dispatch_pending;
  self->dispatch_pending = TRUE;
  g_mutex_unlock (&self->lock);

  if (schedule)
    {
      GSource *idle = g_idle_source_new ();

      g_source_set_callback (idle, dispatch_frames, g_object_ref (self), g_object_unref);
      g_source_attach (idle, self->context);
      g_source_unref (idle);
    }
  return GST_FLOW_OK;
}

static char *
describe_pipeline (FkGstCamera *self, GError **error)
{
  if (self->sim)
    {
      if (self->source == NULL)
        return g_strdup_printf ("videotestsrc name=src is-live=true pattern=smpte num-buffers=%d"
                                " ! video/x-raw,width=1280,height=720,framerate=" SIM_FRAMERATE
                                " ! videobalance name=torch" PIPELINE_TAIL,
                                self->max_frames);
      return g_strdup_printf ("filesrc name=src ! decodebin ! videoconvert"
                              " ! imagefreeze is-live=true num-buffers=%d"
                              " ! video/x-raw,framerate=" SIM_FRAMERATE
                              " ! videobalance name=torch" PIPELINE_TAIL,
                              self->max_frames);
    }
  if (self->source != NULL)
    return g_strdup ("v4l2src name=src" PIPELINE_TAIL);

  /* probe: the Raspberry Pi camera stack first, then any V4L2 device */
  {
    g_autoptr (GstElementFactory) libcamera = gst_element_factory_find ("libcamerasrc");
    g_autoptr (GstElementFactory) v4l2 = gst_element_factory_find ("v4l2src");

    if (libcamera != NULL)
      return g_strdup ("libcamerasrc name=src" PIPELINE_TAIL);
    if (v4l2 != NULL && g_file_test ("/dev/video0", G_FILE_TEST_EXISTS))
      return g_strdup ("v4l2src name=src" PIPELINE_TAIL);
  }
  g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_CAMERA_MISSING,
                       _ ("No camera found. Plug in a camera and try again."));
  return NULL;
}

static gboolean
fk_gst_camera_start (FkCamera *camera, GError **error)
{
  FkGstCamera *self = FK_GST_CAMERA (camera);
  g_autofree char *description = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GstElement) src = NULL;
  g_autoptr (GstBus) bus = NULL;
  GstAppSinkCallbacks callbacks = { .new_sample = on_new_sample };
  const char *sinks[] = { "preview", "luma" };

  if (self->state == FK_CAMERA_STATE_STARTING || self->state == FK_CAMERA_STATE_RUNNING)
    return TRUE;
  g_clear_error (&self->error);
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  self->got_preview = self->got_luma = FALSE;

  description = describe_pipeline (self, &local_error);
  if (description == NULL)
    {
      fail (self, g_error_copy (local_error));
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  self->pipeline = gst_parse_launch (description, &local_error);
  if (self->pipeline == NULL || local_error != NULL)
    {
      /* a GStreamer plugin is missing from this system */
      fail (self, g_error_new (FK_HW_ERROR, FK_HW_ERROR_CAMERA_FAILED,
                               _ ("The camera cannot be used: %s. Reinstall FieldKit."),
                               local_error->message));
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  gst_object_ref_sink (self->pipeline);
  src = gst_bin_get_by_name (GST_BIN (self->pipeline), "src");
  if (self->source != NULL)
    g_object_set (src, self->sim ? "location" : "device", self->source, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (sinks); i++)
    {
      g_autoptr (GstElement) sink = gst_bin_get_by_name (GST_BIN (self->pipeline), sinks[i]);

      gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, self, NULL);
    }

  bus = gst_element_get_bus (self->pipeline);
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, (GSourceFunc) (GCallback) on_bus_message, self, NULL);
  g_source_attach (self->bus_source, self->context);

  set_state (self, FK_CAMERA_STATE_STARTING);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr (GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      g_autoptr (GError) gst_error = NULL;

      if (msg != NULL)
        gst_message_parse_error (msg, &gst_error, NULL);
      else
        gst_error =
          g_error_new_literal (GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE, "state change failed");
      fail (self, map_error (self, gst_error, TRUE));
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  /* the source opened its device on the way to PLAYING */
  detect_torch (self);
  return TRUE;
}

static void
fk_gst_camera_stop (FkCamera *camera)
{
  FkGstCamera *self = FK_GST_CAMERA (camera);

  teardown (self);
  g_clear_error (&self->error);
  set_state (self, FK_CAMERA_STATE_STOPPED);
}

static FkCameraState
fk_gst_camera_get_state (FkCamera *camera)
{
  return FK_GST_CAMERA (camera)->state;
}

static const GError *
fk_gst_camera_get_error (FkCamera *camera)
{
  return FK_GST_CAMERA (camera)->error;
}

static gboolean
fk_gst_camera_capture_still (FkCamera *camera, FkCameraFrame **frame, FkGrayImage **luma,
                             GError **error)
{
  FkGstCamera *self = FK_GST_CAMERA (camera);
  g_autoptr (GstSample) preview = NULL;
  g_autoptr (GstSample) y = NULL;

  if (self->state == FK_CAMERA_STATE_ERROR && self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  g_mutex_lock (&self->lock);
  if (self->preview_sample != NULL)
    preview = gst_sample_ref (self->preview_sample);
  if (self->luma_sample != NULL)
    y = gst_sample_ref (self->luma_sample);
  g_mutex_unlock (&self->lock);

  if (preview == NULL || y == NULL)
    {
      g_set_error_literal (error, FK_HW_ERROR, FK_HW_ERROR_CAMERA_NO_FRAME,
                           self->state == FK_CAMERA_STATE_STOPPED
                             ? _ ("The camera is off. Start it and try again.")
                             : _ ("No picture from the camera yet. Wait for the preview and try "
                                  "again."));
      return FALSE;
    }
  if (frame != NULL)
    *frame = frame_from_sample (preview);
  if (luma != NULL)
    *luma = luma_from_sample (y);
  return TRUE;
}

static void
fk_gst_camera_iface_init (FkCameraInterface *iface)
{
  iface->start = fk_gst_camera_start;
  iface->stop = fk_gst_camera_stop;
  iface->get_state = fk_gst_camera_get_state;
  iface->get_error = fk_gst_camera_get_error;
  iface->capture_still = fk_gst_camera_capture_still;
}

static void
fk_gst_camera_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FkGstCamera *self = FK_GST_CAMERA (object);

  switch (prop_id)
    {
      case PROP_STATE:
        g_value_set_enum (value, self->state);
        break;
      case PROP_TORCH_SUPPORTED:
        g_value_set_boolean (value, self->torch_supported);
        break;
      case PROP_TORCH:
        g_value_set_boolean (value, self->torch);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_gst_camera_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FkGstCamera *self = FK_GST_CAMERA (object);

  switch (prop_id)
    {
      case PROP_TORCH:
        set_torch (self, g_value_get_boolean (value));
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fk_gst_camera_dispose (GObject *object)
{
  FkGstCamera *self = FK_GST_CAMERA (object);

  teardown (self);
  G_OBJECT_CLASS (fk_gst_camera_parent_class)->dispose (object);
}

static void
fk_gst_camera_finalize (GObject *object)
{
  FkGstCamera *self = FK_GST_CAMERA (object);

  g_free (self->source);
  g_clear_error (&self->error);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (fk_gst_camera_parent_class)->finalize (object);
}

static void
fk_gst_camera_class_init (FkGstCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = fk_gst_camera_get_property;
  object_class->set_property = fk_gst_camera_set_property;
  object_class->dispose = fk_gst_camera_dispose;
  object_class->finalize = fk_gst_camera_finalize;
  g_object_class_override_property (object_class, PROP_STATE, "state");
  g_object_class_override_property (object_class, PROP_TORCH_SUPPORTED, "torch-supported");
  g_object_class_override_property (object_class, PROP_TORCH, "torch");
}

static void
fk_gst_camera_init (FkGstCamera *self)
{
  g_mutex_init (&self->lock);
  self->max_frames = -1;
}

static FkGstCamera *
camera_new (gboolean sim, const char *source, int max_frames)
{
  FkGstCamera *self;

  gst_init (NULL, NULL);
  self = g_object_new (FK_TYPE_GST_CAMERA, NULL);
  self->sim = sim;
  self->source = g_strdup (source);
  self->max_frames = max_frames > 0 ? max_frames : -1;
  return self;
}

/**
 * fk_gst_camera_new_real:
 * @device: (nullable): a V4L2 device such as /dev/video2; %NULL probes
 *   libcamera, then /dev/video0
 */
FkCamera *
fk_gst_camera_new_real (const char *device)
{
  return FK_CAMERA (camera_new (FALSE, device, -1));
}

/**
 * fk_gst_camera_new_sim:
 * @image_path: (nullable): a PNG or JPEG shown as a live stream; %NULL for
 *   a 1280×720 test pattern
 * @max_frames: after this many frames the stream ends as if the camera
 *   were unplugged; -1 for never
 */
FkCamera *
fk_gst_camera_new_sim (const char *image_path, int max_frames)
{
  return FK_CAMERA (camera_new (TRUE, image_path, max_frames));
}
