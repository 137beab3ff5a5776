/* smelt-marks.h: marks that move with the text, in namespaces, with highlights; no view
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "smelt-document.h"

G_BEGIN_DECLS

typedef struct
{
  guint        id;
  guint        ns;
  GtkTextMark *start;
  GtkTextMark *end;        /* (nullable): a range's end; NULL for a point */
  char        *hl;         /* (nullable): a highlight name */
  char        *sign;       /* (nullable): up to two characters, or an icon name */
  char        *sign_hl;    /* (nullable) */
  char        *message;    /* (nullable): shown when the pointer rests on it */
  int          priority;
} SmeltMark;

typedef struct
{
  gboolean    right_gravity;  /* the start moves with text inserted at it */
  const char *hl;
  const char *sign;
  const char *sign_hl;
  const char *message;
  int         priority;
} SmeltMarkOptions;

/* a highlight smelt.hl.define makes: colours as GdkRGBA parses them */
typedef struct
{
  const char     *fg;          /* (nullable) */
  const char     *bg;          /* (nullable) */
  PangoUnderline  underline;   /* PANGO_UNDERLINE_NONE: none */
  gboolean        bold;
  gboolean        italic;
} SmeltHlStyle;

guint      smelt_marks_set        (SmeltDocument           *document,
                                   guint                    ns,
                                   const GtkTextIter       *start,
                                   const GtkTextIter       *end,
                                   const SmeltMarkOptions  *options);
SmeltMark *smelt_marks_get        (SmeltDocument           *document,
                                   guint                    ns,
                                   guint                    id);
GPtrArray *smelt_marks_list       (SmeltDocument           *document,
                                   guint                    ns,
                                   int                      first_line,
                                   int                      last_line);
gboolean   smelt_marks_delete     (SmeltDocument           *document,
                                   guint                    ns,
                                   guint                    id);
guint      smelt_marks_clear      (SmeltDocument           *document,
                                   guint                    ns,
                                   int                      first_line,
                                   int                      last_line);
void       smelt_marks_define_hl  (const char              *name,
                                   const SmeltHlStyle      *style);
void       smelt_marks_restyle    (SmeltDocument           *document);
GtkTextTag *smelt_marks_get_hl_tag (SmeltDocument          *document,
                                   const char              *name);
gboolean   smelt_marks_hl_exists  (SmeltDocument           *document,
                                   const char              *name);

G_END_DECLS
