/* smelt-lua-queue.c: smelt.task.queue, a FIFO of values between tasks, in C for speed
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A queue is a userdata: the items live in a ring, a Lua table that is its
 * user value (positions 1..cap), and the tasks parked on it in two wait
 * lists, getters and putters.  Invariants:
 *   - 0 <= reserved <= n <= max: the first `reserved` items are promised
 *     to the getters woken for them that have not run yet, which take them
 *     in the order they were woken (the ready queue's); a get that comes
 *     meanwhile is promised the next and takes its turn after them, so the
 *     gets take the items in the order they were called, even when one of
 *     the promised ones is cancelled and passes its item on;
 *   - getters wait only while n <= reserved, putters only while n == max;
 *   - a parked putter's value stays on its own stack (index 2 of its
 *     queue:put frame) until a get takes it in.
 * Every operation either happens or raises "cancelled", never both: a
 * getter cancelled after it was woken passes its item to the next getter;
 * a putter cancelled after its item was taken in returns normally, and the
 * cancel reaches it at its next park.
 */

#define G_LOG_DOMAIN "smelt-lua-queue"

#include "config.h"

#include <lauxlib.h>

#include "smelt-lua-private.h"
#include "smelt-scheduler.h"

#define QUEUE_MT "smelt.task.queue"
#define SMALL_CAP 16

typedef struct
{
  lua_Integer   max;        /* LUA_MAXINTEGER: unbounded */
  lua_Integer   cap;        /* positions in the ring */
  lua_Integer   head;       /* 0-based position of the first item */
  lua_Integer   n;
  lua_Integer   reserved;
  SmeltWaitList getters;
  SmeltWaitList putters;
  gboolean      closed;
} SmeltQueue;

/* upvalues of every method: 1 the scheduler, 2 the queue metatable */
static inline SmeltScheduler *
sched_upvalue (lua_State *L)
{
  return lua_touserdata (L, lua_upvalueindex (1));
}

static SmeltQueue *
check_queue (lua_State  *L,
             const char *fname)
{
  SmeltQueue *q = lua_touserdata (L, 1);

  if (q != NULL && lua_getmetatable (L, 1))
    {
      gboolean ok = lua_rawequal (L, -1, lua_upvalueindex (2));

      lua_pop (L, 1);
      if (ok)
        return q;
    }
  luaL_error (L, "calling '%s' on bad self (" QUEUE_MT " expected, got %s)", fname, luaL_typename (L, 1));
  return NULL;
}

/* -------------------------------------------------------------- the ring */

/* stack: ..., v  ->  ... (the queue is at index 1) */
static void
ring_push (lua_State  *L,
           SmeltQueue *q)
{
  lua_getiuservalue (L, 1, 1);            /* stack: v, ring */
  if (q->n == q->cap)
    {
      lua_Integer cap = q->cap * 2;

      lua_createtable (L, (int) MIN (cap, (lua_Integer) G_MAXINT), 0);   /* stack: v, ring, bigger */
      for (lua_Integer i = 0; i < q->n; i++)
        {
          lua_rawgeti (L, -2, (q->head + i) % q->cap + 1);
          lua_rawseti (L, -2, i + 1);
        }
      lua_copy (L, -1, -2);
      lua_pop (L, 1);
      lua_pushvalue (L, -1);
      lua_setiuservalue (L, 1, 1);
      q->cap = cap;
      q->head = 0;
    }
  lua_rotate (L, -2, 1);                  /* stack: ring, v */
  lua_rawseti (L, -2, (q->head + q->n) % q->cap + 1);
  lua_pop (L, 1);
  q->n++;
}

/* pushes the first item and takes it out */
static void
ring_pop (lua_State  *L,
          SmeltQueue *q)
{
  g_assert (q->n > 0);
  lua_getiuservalue (L, 1, 1);            /* stack: ring */
  lua_rawgeti (L, -1, q->head + 1);       /* stack: ring, v */
  lua_pushnil (L);
  lua_rawseti (L, -3, q->head + 1);
  lua_remove (L, -2);                     /* stack: v */
  q->head = (q->head + 1) % q->cap;
  q->n--;
}

/* ------------------------------------------------------------- the lines */

/* an item came in: the first getter waiting is woken for it; the item
 * stays in its place until that getter runs */
static void
wake_getter (SmeltScheduler *sched,
             SmeltQueue     *q)
{
  if (q->n > q->reserved && q->getters.head != NULL)
    {
      q->reserved++;
      smelt_wait_list_wake (sched, &q->getters, TRUE);
    }
}

/* an item went out: the first putter waiting moves its item in */
static void
admit_putter (lua_State      *L,
              SmeltScheduler *sched,
              SmeltQueue     *q)
{
  SmeltTask *p;

  if (q->n >= q->max || q->putters.head == NULL)
    return;
  /* in first, woken after: a memory error growing the ring leaves it waiting */
  p = q->putters.head;
  lua_pushvalue (p->thread, 2);
  lua_xmove (p->thread, L, 1);
  ring_push (L, q);
  smelt_wait_list_wake (sched, &q->putters, TRUE);
  wake_getter (sched, q);
}

static int
raise_cancelled (lua_State *L)
{
  lua_settop (L, 0);
  lua_pushliteral (L, "cancelled");
  return lua_error (L);
}

/* ---------------------------------------------------------------- methods */

/* smelt.task.queue(maxsize) */
static int
l_queue_new (lua_State *L)
{
  lua_Integer max = LUA_MAXINTEGER;
  SmeltQueue *q;

  if (!lua_isnoneornil (L, 1))
    {
      int isint = 0;

      max = lua_tointegerx (L, 1, &isint);
      if (!isint || lua_type (L, 1) != LUA_TNUMBER || max < 1)
        {
          if (lua_type (L, 1) == LUA_TNUMBER)
            luaL_tolstring (L, 1, NULL);
          else
            lua_pushstring (L, luaL_typename (L, 1));
          return smelt_lua_arg_error (L, 1, "smelt.task.queue", "a positive integer expected, got %s",
                                      lua_tostring (L, -1));
        }
    }
  q = lua_newuserdatauv (L, sizeof *q, 1);
  *q = (SmeltQueue) { .max = max, .cap = MIN (max, SMALL_CAP) };
  lua_createtable (L, (int) q->cap, 0);
  lua_setiuservalue (L, -2, 1);
  lua_pushvalue (L, lua_upvalueindex (2));
  lua_setmetatable (L, -2);
  return 1;
}

static int
put_k (lua_State    *L,
       int           status,
       lua_KContext  ctx)
{
  SmeltTask *task = (SmeltTask *) ctx;

  /* taken in: it happened, even if a cancel came since */
  if (smelt_task_take_list_grant (task))
    return 0;
  if (task->wake == SMELT_WAKE_CANCEL)
    return raise_cancelled (L);
  return luaL_error (L, "queue:put: the queue was closed");
}

/* q:put(v) */
static int
l_queue_put (lua_State *L)
{
  SmeltScheduler *sched = sched_upvalue (L);
  SmeltQueue *q = check_queue (L, "queue:put");
  SmeltTask *task;

  if (lua_isnoneornil (L, 2))
    return smelt_lua_arg_error (L, 1, "queue:put",
                                "a value expected, got nil: get() returns nil for a closed queue");
  if (q->closed)
    return luaL_error (L, "queue:put: the queue is closed");
  lua_settop (L, 2);
  if (q->n < q->max)
    {
      g_assert (q->putters.head == NULL);
      ring_push (L, q);
      wake_getter (sched, q);
      return 0;
    }
  task = smelt_scheduler_check_park (sched, L, "queue:put");
  /* stack: q, v: v stays here until a get takes it in */
  return smelt_scheduler_park_list (sched, L, task, &q->putters, "queue put",
                                    put_k, (lua_KContext) task);
}

static int
get_k (lua_State    *L,
       int           status,
       lua_KContext  ctx)
{
  SmeltTask *task = (SmeltTask *) ctx;
  SmeltScheduler *sched = sched_upvalue (L);
  SmeltQueue *q = lua_touserdata (L, 1);
  gboolean granted = smelt_task_take_list_grant (task);

  if (task->wake == SMELT_WAKE_CANCEL)
    {
      if (granted)
        {
          /* the item promised to it goes to the next getter */
          q->reserved--;
          wake_getter (sched, q);
        }
      return raise_cancelled (L);
    }
  if (!granted)
    {
      /* closed while it waited */
      lua_pushnil (L);
      return 1;
    }
  q->reserved--;
  ring_pop (L, q);
  admit_putter (L, sched, q);
  return 1;
}

/* q:get(): also the iterator function q:iter() returns */
static int
l_queue_get (lua_State *L)
{
  SmeltScheduler *sched = sched_upvalue (L);
  SmeltQueue *q = check_queue (L, "queue:get");
  SmeltTask *task;

  if (q->n > q->reserved && q->reserved == 0)
    {
      ring_pop (L, q);
      admit_putter (L, sched, q);
      return 1;
    }
  if (q->n > q->reserved)
    {
      /* the items ahead are promised to getters woken before this one: it
       * is promised the next, and takes it after them */
      task = smelt_scheduler_check_park (sched, L, "queue:get");
      q->reserved++;
      lua_settop (L, 1);
      return smelt_scheduler_park_granted (sched, L, task, get_k, (lua_KContext) task);
    }
  /* closed: what is left is promised to getters woken already */
  if (q->closed)
    {
      lua_pushnil (L);
      return 1;
    }
  task = smelt_scheduler_check_park (sched, L, "queue:get");
  lua_settop (L, 1);
  return smelt_scheduler_park_list (sched, L, task, &q->getters, "queue get",
                                    get_k, (lua_KContext) task);
}

/* q:close(): put raises from now on; the getters waiting get nil, the
 * putters waiting raise; what is in it can still be got */
static int
l_queue_close (lua_State *L)
{
  SmeltScheduler *sched = sched_upvalue (L);
  SmeltQueue *q = check_queue (L, "queue:close");

  q->closed = TRUE;
  while (smelt_wait_list_wake (sched, &q->getters, FALSE) != NULL)
    ;
  while (smelt_wait_list_wake (sched, &q->putters, FALSE) != NULL)
    ;
  return 0;
}

/* q:size() */
static int
l_queue_size (lua_State *L)
{
  SmeltQueue *q = check_queue (L, "queue:size");

  lua_pushinteger (L, q->n);
  return 1;
}

/* q:is_closed() */
static int
l_queue_is_closed (lua_State *L)
{
  SmeltQueue *q = check_queue (L, "queue:is_closed");

  lua_pushboolean (L, q->closed);
  return 1;
}

/* q:iter(): for v in q:iter() do ... end gets until closed and empty */
static int
l_queue_iter (lua_State *L)
{
  check_queue (L, "queue:iter");
  lua_pushvalue (L, lua_upvalueindex (3));   /* get */
  lua_pushvalue (L, 1);
  return 2;
}

static const luaL_Reg queue_methods[] = {
  { "put", l_queue_put },
  { "get", l_queue_get },
  { "close", l_queue_close },
  { "size", l_queue_size },
  { "is_closed", l_queue_is_closed },
  { NULL, NULL },
};

/**
 * smelt_lua_open_queue:
 * @task_idx: the smelt.task table
 *
 * Creates smelt.task.queue and the queue metatable.
 */
void
smelt_lua_open_queue (lua_State      *L,
                      SmeltScheduler *sched,
                      int             task_idx)
{
  task_idx = lua_absindex (L, task_idx);

  luaL_newmetatable (L, QUEUE_MT);         /* stack: mt */
  lua_newtable (L);                        /* stack: mt, methods */
  lua_pushlightuserdata (L, sched);
  lua_pushvalue (L, -3);
  luaL_setfuncs (L, queue_methods, 2);
  /* iter hands out the same get */
  lua_pushlightuserdata (L, sched);
  lua_pushvalue (L, -3);
  lua_getfield (L, -3, "get");
  lua_pushcclosure (L, l_queue_iter, 3);
  lua_setfield (L, -2, "iter");
  lua_setfield (L, -2, "__index");
  /* `local q <close> = ...`: closed when the block is left */
  lua_pushlightuserdata (L, sched);
  lua_pushvalue (L, -2);
  lua_pushcclosure (L, l_queue_close, 2);
  lua_setfield (L, -2, "__close");

  lua_pushlightuserdata (L, sched);
  lua_pushvalue (L, -2);
  lua_pushcclosure (L, l_queue_new, 2);
  lua_setfield (L, task_idx, "queue");
  lua_pop (L, 1);
}
