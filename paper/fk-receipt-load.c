/* fk-receipt-load.c: a dossier's receipt, made from the store
 *
 * The one way the app and fieldkit-ctl make a receipt: the sealed dossier,
 * the visit it was taken on and the visits planned, read from the store
 * (which must be unlocked). A practice store's receipts carry the practice
 * band whoever prints them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fk-config.h"

#include "fk-receipt-private.h"
#include "fk-store.h"

/**
 * fk_receipt_load:
 * @store: an unlocked store
 * @catalog: the catalog in use
 * @id: the dossier's UUID
 *
 * Returns: (transfer full) (nullable): the receipt, or %NULL with the
 *   store's error (%FK_STORE_ERROR_NOT_FOUND for an unknown dossier or one
 *   whose content was purged)
 */
FkReceipt *
fk_receipt_load (FkStore *store, FkCatalog *catalog, const char *id, GError **error)
{
  g_autoptr (FkDossier) dossier = NULL;
  g_autoptr (FkVisit) visit = NULL;
  g_autoptr (GPtrArray) visits = NULL;
  g_autoptr (GError) local = NULL;
  FkReceipt *receipt;
  const char *visit_id;
  g_autofree char *practice = NULL;

  g_return_val_if_fail (FK_IS_STORE (store), NULL);
  g_return_val_if_fail (FK_IS_CATALOG (catalog), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  dossier = fk_store_read_dossier (store, id, error);
  if (dossier == NULL)
    return NULL;
  visit_id = fk_dossier_get_visit_id (dossier);
  if (visit_id != NULL)
    {
      visit = fk_store_load_visit (store, visit_id, &local);
      /* A visit gone from the store leaves the receipt without its place. */
      if (visit == NULL && !g_error_matches (local, FK_STORE_ERROR, FK_STORE_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return NULL;
        }
    }
  visits = fk_store_list_visits (store, error);
  if (visits == NULL)
    return NULL;
  receipt = fk_receipt_new (dossier, catalog, visit, visits);
  practice = fk_store_get_setting (store, FK_RECEIPT_PRACTICE_SETTING);
  fk_receipt_set_practice (receipt, g_strcmp0 (practice, "1") == 0);
  return receipt;
}

typedef struct
{
  FkCatalog *catalog;
  char *id;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_object_unref (data->catalog);
  g_free (data->id);
  g_free (data);
}

static void
load_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  FkReceipt *receipt = fk_receipt_load (source, data->catalog, data->id, &error);

  if (receipt == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, receipt, g_object_unref);
}

/* The same in a worker thread: it decrypts the dossier and the visits. */
void
fk_receipt_load_async (FkStore *store, FkCatalog *catalog, const char *id,
                       GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr (GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (FK_IS_STORE (store));
  g_return_if_fail (FK_IS_CATALOG (catalog));
  g_return_if_fail (id != NULL);
  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, fk_receipt_load_async);
  data = g_new0 (LoadData, 1);
  data->catalog = g_object_ref (catalog);
  data->id = g_strdup (id);
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);
  g_task_run_in_thread (task, load_thread);
}

/**
 * fk_receipt_load_finish:
 *
 * Returns: (transfer full) (nullable): the receipt
 */
FkReceipt *
fk_receipt_load_finish (FkStore *store, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fk_receipt_load_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
