/* test-document.c: a SmeltDocument with no display: load, save, a save refused while loading, close
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <unistd.h>

#include "smelt-document.h"

typedef struct
{
  char         *dir;
  GMainLoop    *loop;
  GAsyncResult *result;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("smelt-document-XXXXXX", &error);
  g_assert_no_error (error);
  f->loop = g_main_loop_new (NULL, FALSE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_assert_cmpint (system (cmd), ==, 0);
  g_clear_object (&f->result);
  g_main_loop_unref (f->loop);
  g_free (f->dir);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Fixture *f = user_data;

  g_set_object (&f->result, result);
  g_main_loop_quit (f->loop);
}

/* Runs the loop until done_cb; returns its result (owned by f). */
static GAsyncResult *
wait_result (Fixture *f)
{
  g_clear_object (&f->result);
  g_main_loop_run (f->loop);
  return f->result;
}

static char *
write_file (Fixture    *f,
            const char *name,
            const char *text,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, name, NULL);

  g_file_set_contents (path, text, len, &error);
  g_assert_no_error (error);
  return path;
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static char *
text_of (SmeltDocument *doc)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (doc), &start, &end);
  return gtk_text_buffer_get_text (GTK_TEXT_BUFFER (doc), &start, &end, FALSE);
}

static void
count_cb (gpointer instance,
          gpointer counter)
{
  (*(guint *) counter)++;
}

static void
count_notify_cb (gpointer    instance,
                 GParamSpec *pspec,
                 gpointer    counter)
{
  (*(guint *) counter)++;
}

static void
test_load_and_save (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = write_file (f, "notes.lua", "local x = 1\nreturn x\n", -1);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SmeltDocument) doc = smelt_document_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *written = NULL;
  g_autofree char *name = NULL;
  guint n_loaded = 0, n_saved = 0, n_loading = 0;

  g_signal_connect (doc, "loaded", G_CALLBACK (count_cb), &n_loaded);
  g_signal_connect (doc, "saved", G_CALLBACK (count_cb), &n_saved);
  g_signal_connect (doc, "notify::loading", G_CALLBACK (count_notify_cb), &n_loading);
  smelt_document_load_async (doc, file, NULL, done_cb, f);
  g_assert_true (smelt_document_get_loading (doc));
  g_assert_true (smelt_document_load_finish (doc, wait_result (f), &error));
  g_assert_no_error (error);
  g_assert_false (smelt_document_get_loading (doc));
  g_assert_cmpuint (n_loading, ==, 2);
  g_assert_cmpuint (n_loaded, ==, 1);
  text = text_of (doc);
  g_assert_cmpstr (text, ==, "local x = 1\nreturn x\n");   /* exactly the file: no newline added */
  g_assert_false (gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (doc)));
  /* highlighted by its name */
  g_assert_cmpstr (gtk_source_language_get_id (gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (doc))), ==, "lua");
  name = smelt_document_dup_name (doc);
  g_assert_cmpstr (name, ==, "notes.lua");

  {
    GtkTextIter start;

    gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (doc), &start);
    gtk_text_buffer_insert (GTK_TEXT_BUFFER (doc), &start, "-- typed\n", -1);
  }
  g_assert_true (gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (doc)));
  g_assert_cmpuint (smelt_document_get_n_edits (doc), >, 0);
  smelt_document_save_async (doc, NULL, NULL, done_cb, f);
  g_assert_true (smelt_document_save_finish (doc, wait_result (f), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_saved, ==, 1);
  g_assert_false (gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (doc)));
  written = read_file (path);
  g_assert_cmpstr (written, ==, "-- typed\nlocal x = 1\nreturn x\n");
}

static void
test_save_while_loading_is_refused (Fixture       *f,
                                    gconstpointer  data)
{
  gsize size = 10 * 1024 * 1024;
  g_autofree char *big = g_malloc (size);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(SmeltDocument) doc = smelt_document_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *after = NULL;

  for (gsize i = 0; i < size; i++)
    big[i] = i % 64 == 63 ? '\n' : 'a' + (char) (i % 26);
  path = write_file (f, "big.txt", big, (gssize) size);
  file = g_file_new_for_path (path);

  smelt_document_load_async (doc, file, NULL, NULL, NULL);
  /* some of the text is in (the loader fills it turn by turn) */
  while (gtk_text_buffer_get_char_count (GTK_TEXT_BUFFER (doc)) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (smelt_document_get_loading (doc));
  smelt_document_save_async (doc, NULL, NULL, done_cb, f);
  g_assert_false (smelt_document_save_finish (doc, wait_result (f), &error));
  g_assert_error (error, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_LOADING);
  g_assert_nonnull (strstr (error->message, "big.txt"));
  /* the file is whole */
  after = read_file (path);
  g_assert_cmpuint (strlen (after), ==, size);
  while (smelt_document_get_loading (doc))
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (gtk_text_buffer_get_char_count (GTK_TEXT_BUFFER (doc)), ==, (int) size);
}

static void
test_close_while_loading (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *big = g_strnfill (4 * 1024 * 1024, 'x');
  g_autofree char *path = write_file (f, "closing.txt", big, -1);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SmeltDocument) doc = smelt_document_new ();
  g_autoptr(GError) error = NULL;

  smelt_document_load_async (doc, file, NULL, done_cb, f);
  smelt_document_close (doc);
  g_assert_true (smelt_document_is_closed (doc));
  g_assert_false (smelt_document_load_finish (doc, wait_result (f), &error));
  g_assert_error (error, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_CLOSED);
  g_assert_false (smelt_document_get_loading (doc));
}

/* loads path into a new document, inserts "new " at the start, saves */
static SmeltDocument *
load_edit_save (Fixture     *f,
                const char  *path,
                GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SmeltDocument *doc = smelt_document_new ();
  GtkTextIter start;

  smelt_document_load_async (doc, file, NULL, done_cb, f);
  g_assert_true (smelt_document_load_finish (doc, wait_result (f), NULL));
  gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (doc), &start);
  gtk_text_buffer_insert (GTK_TEXT_BUFFER (doc), &start, "new ", -1);
  smelt_document_save_async (doc, NULL, NULL, done_cb, f);
  smelt_document_save_finish (doc, wait_result (f), error);
  return doc;
}

static void
test_save_keeps_links (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *target = write_file (f, "target.txt", "text\n", -1);
  g_autofree char *symlink_path = g_build_filename (f->dir, "via-link.txt", NULL);
  g_autofree char *hard = g_build_filename (f->dir, "second-name.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SmeltDocument) via_link = NULL;
  g_autoptr(SmeltDocument) via_hard = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;
  GStatBuf a, b;

  g_assert_cmpint (symlink ("target.txt", symlink_path), ==, 0);
  g_assert_cmpint (link (target, hard), ==, 0);

  via_link = load_edit_save (f, symlink_path, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (symlink_path, G_FILE_TEST_IS_SYMLINK));   /* still a link */
  text = read_file (target);
  g_assert_cmpstr (text, ==, "new text\n");

  via_hard = load_edit_save (f, hard, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (target, &a), ==, 0);
  g_assert_cmpint (g_stat (hard, &b), ==, 0);
  g_assert_cmpuint (a.st_ino, ==, b.st_ino);   /* one file, two names */
  text2 = read_file (target);
  g_assert_cmpstr (text2, ==, "new new text\n");
}

static void
test_save_keeps_crlf (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = write_file (f, "dos.txt", "one\r\ntwo\r\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SmeltDocument) doc = load_edit_save (f, path, &error);
  g_autofree char *text = read_file (path);

  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, "new one\r\ntwo\r\n");
}

static void
test_save_error_names_the_path (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *path = write_file (f, "locked.txt", "text\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SmeltDocument) doc = NULL;

  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  doc = load_edit_save (f, path, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "locked.txt"));
  g_assert_true (gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (doc)));
}

static void
test_no_file (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(SmeltDocument) doc = smelt_document_new ();
  g_autoptr(SmeltDocument) other = smelt_document_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = smelt_document_dup_name (doc);

  g_assert_cmpuint (smelt_document_get_id (doc), >, 0);
  g_assert_cmpuint (smelt_document_get_id (other), >, smelt_document_get_id (doc));
  g_assert_cmpstr (name, ==, "untitled");
  smelt_document_save_async (doc, NULL, NULL, done_cb, f);
  g_assert_false (smelt_document_save_finish (doc, wait_result (f), &error));
  g_assert_error (error, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_NO_FILE);
}

/* the edited lines as "0-0 3-5" (0-based, inclusive) */
static char *
edited_lines (SmeltDocument *doc)
{
  g_autoptr(GArray) lines = smelt_edit_ranges_get_lines (smelt_document_get_edit_ranges (doc));
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < lines->len; i++)
    {
      SmeltLineRange *r = &g_array_index (lines, SmeltLineRange, i);

      g_string_append_printf (out, "%s%d-%d", i > 0 ? " " : "", r->first, r->last);
    }
  return g_string_free (out, FALSE);
}

#define assert_edited(doc, expected) \
  G_STMT_START { \
    g_autofree char *got_ = edited_lines (doc); \
    g_assert_cmpstr (got_, ==, (expected)); \
  } G_STMT_END

static void
type_at (SmeltDocument *doc,
         int            line,
         const char    *text)
{
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (doc), &iter, line);
  gtk_text_buffer_insert (GTK_TEXT_BUFFER (doc), &iter, text, -1);
}

static void
test_edited_lines_and_saves (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *path = write_file (f, "fields.tsv", "a\t \nb  \nc\n", -1);
  g_autofree char *nowhere = g_build_filename (f->dir, "no-such-dir", "fields.tsv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad = g_file_new_for_path (nowhere);
  g_autoptr(SmeltDocument) doc = smelt_document_new ();
  g_autoptr(GError) error = NULL;

  smelt_document_load_async (doc, file, NULL, done_cb, f);
  g_assert_true (smelt_document_load_finish (doc, wait_result (f), &error));
  assert_edited (doc, "");   /* the load is no edit */

  type_at (doc, 2, "x");
  assert_edited (doc, "2-2");
  smelt_document_save_async (doc, NULL, NULL, done_cb, f);
  type_at (doc, 0, "y");   /* while the save runs */
  g_assert_true (smelt_document_save_finish (doc, wait_result (f), &error));
  g_assert_no_error (error);
  assert_edited (doc, "0-0");   /* what was edited before the save is written */

  /* a failed save forgets nothing */
  smelt_document_save_async (doc, bad, NULL, done_cb, f);
  g_assert_false (smelt_document_save_finish (doc, wait_result (f), &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  assert_edited (doc, "0-0");
  smelt_document_set_location (doc, file);
  smelt_document_save_async (doc, NULL, NULL, done_cb, f);
  g_assert_true (smelt_document_save_finish (doc, wait_result (f), &error));
  assert_edited (doc, "");

  /* a reload forgets the edits */
  type_at (doc, 1, "z");
  assert_edited (doc, "1-1");
  smelt_document_load_async (doc, file, NULL, done_cb, f);
  g_assert_true (smelt_document_load_finish (doc, wait_result (f), &error));
  assert_edited (doc, "");
}

int
main (int    argc,
      char **argv)
{
  /* no display, and no gtk_init(): the documents of `smelt --no-ui` */
  g_unsetenv ("DISPLAY");
  g_unsetenv ("WAYLAND_DISPLAY");
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/document/load-and-save", test_load_and_save);
  ADD ("/document/save-while-loading-is-refused", test_save_while_loading_is_refused);
  ADD ("/document/close-while-loading", test_close_while_loading);
  ADD ("/document/no-file", test_no_file);
  ADD ("/document/save-keeps-links", test_save_keeps_links);
  ADD ("/document/save-keeps-crlf", test_save_keeps_crlf);
  ADD ("/document/save-error-names-the-path", test_save_error_names_the_path);
  ADD ("/document/edited-lines-and-saves", test_edited_lines_and_saves);
#undef ADD
  return g_test_run ();
}
