/* smelt-external.c: external task ids, the pairing of task.wait(id) with task.resume(id)
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every allocated id has a slot until it is consumed.  A slot is in one of
 * three states:
 *   allocated  no waiter, no value;
 *   waiting    a task is parked on it;
 *   resolved   a value arrived before any wait, and is kept for it.
 * The first resolution of a waiting slot wakes the waiter and removes the
 * slot, so a second resume finds nothing and is ignored.  Lookups are O(1).
 */

#define G_LOG_DOMAIN "smelt-external"

#include "config.h"

#include <lauxlib.h>

#include "smelt-scheduler-private.h"

#define MAX_FREE_SLOTS 1024

typedef struct _SmeltSlot SmeltSlot;

struct _SmeltSlot
{
  guint64          id;
  SmeltTask       *waiter;       /* unowned: the task unparks itself first */
  int              value_ref;
  SmeltReleaseFunc release;
  gpointer         release_data;
  guint            resolved : 1;
  guint            is_error : 1;
  SmeltSlot       *next_free;
};

static void
slot_free (SmeltScheduler *self,
           SmeltSlot      *slot,
           gboolean        discarded)
{
  if (slot->resolved && slot->value_ref != LUA_REFNIL && self->L != NULL)
    luaL_unref (self->L, LUA_REGISTRYINDEX, slot->value_ref);
  if (slot->release != NULL)
    slot->release (slot->release_data, slot->id, discarded && !slot->resolved);
  if (self->n_free_slots < MAX_FREE_SLOTS && !self->closing)
    {
      slot->next_free = self->free_slots;
      self->free_slots = slot;
      self->n_free_slots++;
    }
  else
    g_free (slot);
}

static inline SmeltSlot *
lookup (SmeltScheduler *self,
        guint64         id)
{
  return smelt_id_map_lookup (&self->slots, id);
}

static void
remove_slot (SmeltScheduler *self,
             SmeltSlot      *slot,
             gboolean        discarded)
{
  smelt_id_map_remove (&self->slots, slot->id);
  slot_free (self, slot, discarded);
}

void
smelt_scheduler_slots_init (SmeltScheduler *self)
{
  smelt_id_map_init (&self->slots);
}

static void
discard_cb (gpointer data,
            gpointer user_data)
{
  slot_free (user_data, data, TRUE);
}

void
smelt_scheduler_slots_clear (SmeltScheduler *self)
{
  SmeltSlot *slot;

  smelt_id_map_drain (&self->slots, discard_cb, self);
  smelt_id_map_clear (&self->slots);
  while ((slot = self->free_slots) != NULL)
    {
      self->free_slots = slot->next_free;
      g_free (slot);
    }
  self->n_free_slots = 0;
}

guint64
smelt_scheduler_alloc_id (SmeltScheduler *self)
{
  SmeltSlot *slot = self->free_slots;

  if (slot != NULL)
    {
      self->free_slots = slot->next_free;
      self->n_free_slots--;
    }
  else
    slot = g_new (SmeltSlot, 1);

  slot->id = self->next_id++;
  slot->waiter = NULL;
  slot->value_ref = LUA_NOREF;
  slot->release = NULL;
  slot->release_data = NULL;
  slot->resolved = FALSE;
  slot->is_error = FALSE;
  slot->next_free = NULL;
  smelt_id_map_insert (&self->slots, slot->id, slot);
  return slot->id;
}

gboolean
smelt_scheduler_id_is_pending (SmeltScheduler *self,
                               guint64         id)
{
  return lookup (self, id) != NULL;
}

/**
 * smelt_scheduler_set_release:
 *
 * Arranges for @func to be called once, when @id's slot goes: with
 * discarded %TRUE if the id died unresolved (its waiter was cancelled, its
 * starter raised, or the host closed), so a pending op cancels the
 * operation behind it; with %FALSE once it was resolved, by whoever
 * resolved it (smelt.task.resume() may resolve an id C allocated).
 */
void
smelt_scheduler_set_release (SmeltScheduler  *self,
                             guint64          id,
                             SmeltReleaseFunc func,
                             gpointer         data)
{
  SmeltSlot *slot = lookup (self, id);

  g_return_if_fail (slot != NULL);
  slot->release = func;
  slot->release_data = data;
}

/* Forgets @id (if pending and not waited on), calling its release function. */
void
smelt_scheduler_discard (SmeltScheduler *self,
                         guint64         id)
{
  SmeltSlot *slot = lookup (self, id);

  if (slot != NULL && slot->waiter == NULL)
    remove_slot (self, slot, TRUE);
}

/**
 * smelt_scheduler_resolve:
 * @from: the state whose top value is delivered; it is popped
 *
 * Delivers the value to the task waiting on @id (raised there if @is_error),
 * or keeps it for the wait to come.  The waiter runs on a later dispatch,
 * never inside this call.
 *
 * Returns: whether @id was pending
 */
gboolean
smelt_scheduler_resolve (SmeltScheduler *self,
                         lua_State      *from,
                         guint64         id,
                         gboolean        is_error)
{
  SmeltSlot *slot = lookup (self, id);
  SmeltTask *waiter;

  if (slot == NULL || slot->resolved)
    {
      g_debug ("ignoring a resume of id %" G_GUINT64_FORMAT ": %s", id,
               slot ? "already resolved" : "not pending (unknown, resolved, or its waiter was cancelled)");
      lua_pop (from, 1);
      return FALSE;
    }

  waiter = slot->waiter;
  if (waiter == NULL)
    {
      smelt_scheduler_begin_bookkeeping (self);
      slot->value_ref = luaL_ref (from, LUA_REGISTRYINDEX);
      smelt_scheduler_end_bookkeeping (self);
      slot->resolved = TRUE;
      slot->is_error = !!is_error;
      return TRUE;
    }

  g_assert (waiter->state == SMELT_TASK_PARKED && waiter->park == SMELT_PARK_EXTERNAL);
  remove_slot (self, slot, FALSE);
  smelt_scheduler_begin_bookkeeping (self);
  lua_checkstack (waiter->thread, 2);
  lua_xmove (from, waiter->thread, 1);
  smelt_scheduler_end_bookkeeping (self);
  waiter->nargs = 1;
  smelt_scheduler_make_ready (self, waiter, is_error ? SMELT_WAKE_ERROR : SMELT_WAKE_NORMAL);
  return TRUE;
}

/* The waiter is being cancelled: the id dies with it. */
void
smelt_scheduler_unpark_slot (SmeltScheduler *self,
                             SmeltTask      *task)
{
  SmeltSlot *slot = lookup (self, task->park_id);

  g_assert (slot != NULL && slot->waiter == task);
  remove_slot (self, slot, TRUE);
}

int
smelt_scheduler_park_external (SmeltScheduler *self,
                               lua_State      *L,
                               SmeltTask      *task,
                               guint64         id,
                               const char     *fname)
{
  SmeltSlot *slot = lookup (self, id);

  if (slot == NULL)
    return luaL_error (L, "%s: id %I is not pending (never allocated, already resolved, "
                       "or its waiter was cancelled)", fname, (lua_Integer) id);
  if (slot->waiter != NULL)
    return luaL_error (L, "%s: id %I is already waited on by task %I", fname,
                       (lua_Integer) id, (lua_Integer) slot->waiter->id);

  lua_settop (L, 0);
  if (slot->resolved)
    {
      gboolean is_error = slot->is_error;

      lua_rawgeti (L, LUA_REGISTRYINDEX, slot->value_ref);
      remove_slot (self, slot, FALSE);
      if (is_error)
        return lua_error (L);
      return 1;
    }

  slot->waiter = task;
  task->park = SMELT_PARK_EXTERNAL;
  task->park_id = id;
  task->state = SMELT_TASK_PARKED;
  return lua_yieldk (L, 0, (lua_KContext) self, smelt_scheduler_park_k);
}
