/* test-document.c: a SmeltDocument with no display: load, save, refusals, encodings, line ends, close
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <unistd.h>
#include <utime.h>

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
  smelt_document_save_async (doc, NULL, SMELT_DOCUMENT_SAVE_NONE, NULL, done_cb, f);
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
  smelt_document_save_async (doc, NULL, SMELT_DOCUMENT_SAVE_NONE, NULL, done_cb, f);
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
  smelt_document_save_async (doc, NULL, SMELT_DOCUMENT_SAVE_NONE, NULL, done_cb, f);
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
  smelt_document_save_async (doc, NULL, SMELT_DOCUMENT_SAVE_NONE, NULL, done_cb, f);
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
  smelt_document_save_async (doc, NULL, SMELT_DOCUMENT_SAVE_NONE, NULL, done_cb, f);
  type_at (doc, 0, "y");   /* while the save runs */
  g_assert_true (smelt_document_save_finish (doc, wait_result (f), &error));
  g_assert_no_error (error);
  assert_edited (doc, "0-0");   /* what was edited before the save is written */

  /* a failed save forgets nothing */
  smelt_document_save_async (doc, bad, SMELT_DOCUMENT_SAVE_NONE, NULL, done_cb, f);
  g_assert_false (smelt_document_save_finish (doc, wait_result (f), &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  assert_edited (doc, "0-0");
  smelt_document_set_location (doc, file);
  smelt_document_save_async (doc, NULL, SMELT_DOCUMENT_SAVE_NONE, NULL, done_cb, f);
  g_assert_true (smelt_document_save_finish (doc, wait_result (f), &error));
  assert_edited (doc, "");

  /* a reload forgets the edits */
  type_at (doc, 1, "z");
  assert_edited (doc, "1-1");
  smelt_document_load_async (doc, file, NULL, done_cb, f);
  g_assert_true (smelt_document_load_finish (doc, wait_result (f), &error));
  assert_edited (doc, "");
}

/* another program writes path: new text, and a modification time that
 * is surely not the one the document saw */
static void
write_as_another_program (const char *path,
                          const char *text)
{
  g_autoptr(GError) error = NULL;
  struct utimbuf times = { .actime = 1000000000, .modtime = 1000000000 };

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (utime (path, &times), ==, 0);
}

static SmeltDocument *
load (Fixture                 *f,
      const char              *path,
      const GtkSourceEncoding *encoding,
      GError                 **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  SmeltDocument *doc = smelt_document_new ();

  smelt_document_load_encoded_async (doc, file, encoding, NULL, done_cb, f);
  smelt_document_load_finish (doc, wait_result (f), error);
  return doc;
}

static gboolean
save (Fixture                 *f,
      SmeltDocument           *doc,
      SmeltDocumentSaveFlags   flags,
      GError                 **error)
{
  smelt_document_save_async (doc, NULL, flags, NULL, done_cb, f);
  return smelt_document_save_finish (doc, wait_result (f), error);
}

static void
insert_at_start (SmeltDocument *doc,
                 const char    *text)
{
  GtkTextIter start;

  gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (doc), &start);
  gtk_text_buffer_insert (GTK_TEXT_BUFFER (doc), &start, text, -1);
}

static void
test_save_refuses_a_file_changed_on_disk (Fixture       *f,
                                          gconstpointer  data)
{
  const char *name = data;   /* "lf.txt": the fast writer; "crlf.txt": GtkSourceFileSaver */
  g_autofree char *path = write_file (f, name, strstr (name, "crlf") ? "mine\r\n" : "mine\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SmeltDocument) doc = load (f, path, NULL, &error);
  g_autofree char *after_refusal = NULL;
  g_autofree char *after_force = NULL;
  g_autofree char *after_again = NULL;
  guint n_saved = 0;

  g_assert_no_error (error);
  g_signal_connect (doc, "saved", G_CALLBACK (count_cb), &n_saved);
  insert_at_start (doc, "typed ");
  write_as_another_program (path, "theirs\n");

  g_assert_false (save (f, doc, SMELT_DOCUMENT_SAVE_NONE, &error));
  g_assert_error (error, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_CHANGED_ON_DISK);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_cmpstr (smelt_document_error_code (error), ==, "changed-on-disk");
  g_clear_error (&error);
  after_refusal = read_file (path);
  g_assert_cmpstr (after_refusal, ==, "theirs\n");   /* their change is still there */
  g_assert_true (gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (doc)));
  g_assert_cmpuint (n_saved, ==, 0);

  g_assert_true (save (f, doc, SMELT_DOCUMENT_SAVE_FORCE, &error));
  g_assert_no_error (error);
  after_force = read_file (path);
  g_assert_cmpstr (after_force, ==, strstr (name, "crlf") ? "typed mine\r\n" : "typed mine\n");
  g_assert_false (gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (doc)));

  /* its own write is no change by another program */
  insert_at_start (doc, "again ");
  g_assert_true (save (f, doc, SMELT_DOCUMENT_SAVE_NONE, &error));
  g_assert_no_error (error);
  after_again = read_file (path);
  g_assert_cmpstr (after_again, ==, strstr (name, "crlf") ? "again typed mine\r\n" : "again typed mine\n");
}

static void
test_save_writes_a_file_deleted_on_disk (Fixture       *f,
                                         gconstpointer  data)
{
  g_autofree char *path = write_file (f, "gone.txt", "text\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SmeltDocument) doc = load (f, path, NULL, &error);
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_true (save (f, doc, SMELT_DOCUMENT_SAVE_NONE, &error));
  g_assert_no_error (error);
  after = read_file (path);
  g_assert_cmpstr (after, ==, "text\n");
}

/* Latin-1 whose first byte past ASCII is not at the very start: as most
 * real files are (¤ is 0xA4, where ISO-8859-15 has €) */
#define LATIN1_TEXT "hello\nGr\xfc\xdf \xa4\n"

static void
test_latin1_in_the_chosen_encoding (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *path = write_file (f, "latin1.txt", LATIN1_TEXT, -1);
  const GtkSourceEncoding *latin1 = smelt_document_lookup_encoding ("latin1");
  g_autoptr(GError) error = NULL;
  g_autoptr(SmeltDocument) detected = NULL;
  g_autoptr(SmeltDocument) doc = NULL;
  g_autofree char *why = NULL;
  g_autofree char *text = NULL;
  g_autofree char *written = NULL;

  g_assert_nonnull (latin1);
  g_assert_cmpstr (gtk_source_encoding_get_charset (latin1), ==, "ISO-8859-1");
  g_assert_true (smelt_document_lookup_encoding ("utf-8") == gtk_source_encoding_get_utf8 ());
  g_assert_null (smelt_document_lookup_encoding ("no-such-encoding"));

  /* GtkSourceView guesses from the start of the file: UTF-8, then it
   * fails on the first byte that is not; the error says what to do */
  detected = load (f, path, NULL, &error);
  g_assert_error (error, GTK_SOURCE_FILE_LOADER_ERROR, GTK_SOURCE_FILE_LOADER_ERROR_CONVERSION_FALLBACK);
  why = smelt_document_describe_load_error (detected, error);
  g_assert_nonnull (strstr (why, path));
  g_assert_nonnull (strstr (why, ":e ++enc=latin1"));
  g_clear_error (&error);

  doc = load (f, path, latin1, &error);
  g_assert_no_error (error);
  g_assert_true (smelt_document_get_encoding (doc) == latin1);
  text = text_of (doc);
  g_assert_cmpstr (text, ==, "hello\nGrüß ¤\n");

  /* a save keeps Latin-1 */
  insert_at_start (doc, "\xc3\xa0 ");   /* "à " */
  g_assert_true (save (f, doc, SMELT_DOCUMENT_SAVE_NONE, &error));
  g_assert_no_error (error);
  written = read_file (path);
  g_assert_cmpstr (written, ==, "\xe0 " LATIN1_TEXT);
}

static void
test_unencodable_character (Fixture       *f,
                            gconstpointer  data)
{
  g_autofree char *path = write_file (f, "latin1.txt", "one\n" LATIN1_TEXT, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SmeltDocument) doc = load (f, path, smelt_document_lookup_encoding ("ISO-8859-1"), &error);
  g_autofree char *untouched = NULL;
  g_autofree char *as_utf8 = NULL;
  GtkTextIter iter;

  g_assert_no_error (error);
  gtk_text_buffer_get_iter_at_line (GTK_TEXT_BUFFER (doc), &iter, 1);
  gtk_text_buffer_insert (GTK_TEXT_BUFFER (doc), &iter, "snow \xe2\x98\x83 ", -1);   /* U+2603 */
  g_assert_false (save (f, doc, SMELT_DOCUMENT_SAVE_NONE, &error));
  g_assert_error (error, SMELT_DOCUMENT_ERROR, SMELT_DOCUMENT_ERROR_ENCODING);
  g_assert_cmpstr (smelt_document_error_code (error), ==, "encoding");
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "line 2"));
  g_assert_nonnull (strstr (error->message, "U+2603"));
  g_assert_nonnull (strstr (error->message, "ISO-8859-1"));
  g_assert_nonnull (strstr (error->message, "UTF-8"));
  g_clear_error (&error);
  untouched = read_file (path);
  g_assert_cmpstr (untouched, ==, "one\n" LATIN1_TEXT);
  g_assert_true (gtk_text_buffer_get_modified (GTK_TEXT_BUFFER (doc)));

  /* as UTF-8, it is written */
  smelt_document_set_encoding (doc, smelt_document_lookup_encoding ("UTF-8"));
  g_assert_true (save (f, doc, SMELT_DOCUMENT_SAVE_NONE, &error));
  g_assert_no_error (error);
  as_utf8 = read_file (path);
  g_assert_cmpstr (as_utf8, ==, "one\nsnow \xe2\x98\x83 hello\nGrüß ¤\n");
}

/* A file read in a chosen encoding is read again in it (a reload after
 * another program's change), until it is saved in another */
static void
test_reload_keeps_the_chosen_encoding (Fixture       *f,
                                       gconstpointer  data)
{
  g_autofree char *path = write_file (f, "latin1.txt", LATIN1_TEXT, -1);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(SmeltDocument) doc = load (f, path, smelt_document_lookup_encoding ("latin1"), &error);
  g_autofree char *again = NULL;
  g_autofree char *as_utf8 = NULL;

  g_assert_no_error (error);
  write_as_another_program (path, "more\n" LATIN1_TEXT);
  smelt_document_load_async (doc, file, NULL, done_cb, f);
  g_assert_true (smelt_document_load_finish (doc, wait_result (f), &error));
  g_assert_no_error (error);
  again = text_of (doc);
  g_assert_cmpstr (again, ==, "more\nhello\nGrüß ¤\n");

  smelt_document_set_encoding (doc, gtk_source_encoding_get_utf8 ());
  g_assert_true (save (f, doc, SMELT_DOCUMENT_SAVE_NONE, &error));
  g_assert_no_error (error);
  smelt_document_load_async (doc, file, NULL, done_cb, f);
  g_assert_true (smelt_document_load_finish (doc, wait_result (f), &error));
  g_assert_no_error (error);
  as_utf8 = text_of (doc);
  g_assert_cmpstr (as_utf8, ==, "more\nhello\nGrüß ¤\n");
  g_assert_true (smelt_document_get_encoding (doc) == gtk_source_encoding_get_utf8 ());
}

static void
test_load_error_says_how_to_choose_an_encoding (Fixture       *f,
                                                gconstpointer  data)
{
  g_autofree char *path = write_file (f, "binary.bin", "a\0b\xff\xfe\0c\n", 9);
  g_autoptr(GError) error = NULL;
  g_autoptr(SmeltDocument) doc = load (f, path, NULL, &error);
  g_autoptr(SmeltDocument) latin1 = NULL;
  g_autofree char *why = NULL;
  g_autofree char *why_latin1 = NULL;

  g_assert_nonnull (error);
  why = smelt_document_describe_load_error (doc, error);
  g_assert_nonnull (strstr (why, path));
  g_assert_nonnull (strstr (why, "not text in a known encoding (UTF-8"));
  g_assert_nonnull (strstr (why, "++enc=latin1"));
  g_clear_error (&error);

  latin1 = load (f, path, smelt_document_lookup_encoding ("latin1"), &error);
  g_assert_nonnull (error);
  why_latin1 = smelt_document_describe_load_error (latin1, error);
  g_assert_nonnull (strstr (why_latin1, path));
  g_assert_nonnull (strstr (why_latin1, "not text in ISO-8859-1"));
}

static void
test_crlf_round_trip (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = write_file (f, "dos.txt", "one\r\ntwo\r\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SmeltDocument) doc = load (f, path, NULL, &error);
  g_autofree char *kept = NULL;
  g_autofree char *as_lf = NULL;
  GtkTextIter end;

  g_assert_no_error (error);
  g_assert_cmpint (smelt_document_get_newline_type (doc), ==, GTK_SOURCE_NEWLINE_TYPE_CR_LF);
  g_assert_false (smelt_document_has_mixed_newlines (doc));
  /* a line typed (GtkTextView types \n) is written with the file's line end */
  gtk_text_buffer_get_end_iter (GTK_TEXT_BUFFER (doc), &end);
  gtk_text_buffer_insert (GTK_TEXT_BUFFER (doc), &end, "three\n", -1);
  g_assert_true (save (f, doc, SMELT_DOCUMENT_SAVE_NONE, &error));
  g_assert_no_error (error);
  kept = read_file (path);
  g_assert_cmpstr (kept, ==, "one\r\ntwo\r\nthree\r\n");

  smelt_document_set_newline_type (doc, GTK_SOURCE_NEWLINE_TYPE_LF);
  g_assert_true (save (f, doc, SMELT_DOCUMENT_SAVE_NONE, &error));
  g_assert_no_error (error);
  as_lf = read_file (path);
  g_assert_cmpstr (as_lf, ==, "one\ntwo\nthree\n");
}

/* GtkSourceFileLoader keeps every line end as it is, and names the first
 * one the file's: the document notes the mix, and a save writes every
 * line end as that first one, on either way of writing */
static void
test_mixed_line_ends (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *crlf_first = write_file (f, "crlf-first.txt", "a\r\nb\nc\rd\r\n", -1);
  g_autofree char *lf_first = write_file (f, "lf-first.txt", "a\nb\r\nc\rd\n", -1);
  g_autofree char *plain = write_file (f, "plain.txt", "a\nb\n", -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(SmeltDocument) a = load (f, crlf_first, NULL, &error);
  g_autoptr(SmeltDocument) b = load (f, lf_first, NULL, &error);
  g_autoptr(SmeltDocument) c = load (f, plain, NULL, &error);
  g_autofree char *text_a = text_of (a);
  g_autofree char *written_a = NULL;
  g_autofree char *written_b = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (text_a, ==, "a\r\nb\nc\rd\r\n");   /* the buffer has them all */
  g_assert_true (smelt_document_has_mixed_newlines (a));
  g_assert_cmpint (smelt_document_get_newline_type (a), ==, GTK_SOURCE_NEWLINE_TYPE_CR_LF);
  g_assert_true (smelt_document_has_mixed_newlines (b));
  g_assert_cmpint (smelt_document_get_newline_type (b), ==, GTK_SOURCE_NEWLINE_TYPE_LF);
  g_assert_false (smelt_document_has_mixed_newlines (c));

  g_assert_true (save (f, a, SMELT_DOCUMENT_SAVE_NONE, &error));
  g_assert_no_error (error);
  written_a = read_file (crlf_first);
  g_assert_cmpstr (written_a, ==, "a\r\nb\r\nc\r\nd\r\n");
  g_assert_false (smelt_document_has_mixed_newlines (a));

  g_assert_true (save (f, b, SMELT_DOCUMENT_SAVE_NONE, &error));
  g_assert_no_error (error);
  written_b = read_file (lf_first);
  g_assert_cmpstr (written_b, ==, "a\nb\nc\nd\n");
  g_assert_false (smelt_document_has_mixed_newlines (b));
}

static void
test_positions (void)
{
  g_autoptr(SmeltDocument) doc = smelt_document_new ();
  GtkTextIter iter;
  int len = -1;

  /* "é" is two bytes: column 2 falls inside it */
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (doc), "é!\n\nend", -1);
  g_assert_cmpint (smelt_document_iter_at_position (doc, 1, 1, &iter, &len), ==, SMELT_POSITION_OK);
  g_assert_cmpint (len, ==, 3);
  g_assert_cmpint (smelt_document_iter_at_position (doc, 1, 3, &iter, NULL), ==, SMELT_POSITION_OK);
  g_assert_cmpint (gtk_text_iter_get_line_offset (&iter), ==, 1);
  g_assert_cmpint (smelt_document_iter_at_position (doc, 1, 4, &iter, NULL), ==, SMELT_POSITION_OK);
  g_assert_true (gtk_text_iter_ends_line (&iter));
  g_assert_cmpint (smelt_document_iter_at_position (doc, 1, 2, &iter, NULL), ==, SMELT_POSITION_INSIDE_CHARACTER);
  g_assert_cmpint (smelt_document_iter_at_position (doc, 1, 5, &iter, &len), ==, SMELT_POSITION_BAD_COLUMN);
  g_assert_cmpint (smelt_document_iter_at_position (doc, 1, 0, &iter, NULL), ==, SMELT_POSITION_BAD_COLUMN);
  g_assert_cmpint (smelt_document_iter_at_position (doc, 2, 1, &iter, &len), ==, SMELT_POSITION_OK);
  g_assert_cmpint (len, ==, 0);
  g_assert_cmpint (smelt_document_iter_at_position (doc, 2, 2, &iter, NULL), ==, SMELT_POSITION_BAD_COLUMN);
  g_assert_cmpint (smelt_document_iter_at_position (doc, 3, 4, &iter, NULL), ==, SMELT_POSITION_OK);
  g_assert_true (gtk_text_iter_is_end (&iter));
  g_assert_cmpint (smelt_document_iter_at_position (doc, 4, 1, &iter, &len), ==, SMELT_POSITION_BAD_LINE);
  g_assert_cmpint (len, ==, 0);
  g_assert_cmpint (smelt_document_iter_at_position (doc, 0, 1, &iter, NULL), ==, SMELT_POSITION_BAD_LINE);
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
  ADD ("/document/save-writes-a-file-deleted-on-disk", test_save_writes_a_file_deleted_on_disk);
  ADD ("/document/latin1-in-the-chosen-encoding", test_latin1_in_the_chosen_encoding);
  ADD ("/document/unencodable-character", test_unencodable_character);
  ADD ("/document/reload-keeps-the-chosen-encoding", test_reload_keeps_the_chosen_encoding);
  ADD ("/document/load-error-says-how-to-choose-an-encoding", test_load_error_says_how_to_choose_an_encoding);
  ADD ("/document/crlf-round-trip", test_crlf_round_trip);
  ADD ("/document/mixed-line-ends", test_mixed_line_ends);
#undef ADD
  g_test_add_func ("/document/positions", test_positions);
  g_test_add ("/document/save-refuses-a-file-changed-on-disk/fast-writer", Fixture, "lf.txt",
              fixture_setup, test_save_refuses_a_file_changed_on_disk, fixture_teardown);
  g_test_add ("/document/save-refuses-a-file-changed-on-disk/saver", Fixture, "crlf.txt",
              fixture_setup, test_save_refuses_a_file_changed_on_disk, fixture_teardown);
  return g_test_run ();
}
