/* The pdfium engine's per-character work in C: pdfium_words.py's `_chars` and
 * `words_from_chars`, which cost ~1.2 s of a 200-page parse in Python, here ~0.1 s.
 *
 * pdfium's functions come in as addresses from the library pypdfium2 has loaded, so this
 * file needs neither pdfium's headers nor Python's; pdfium_native.py calls it through ctypes.
 * What needs Python (a font's name and its descent from pdfminer) is asked once per font
 * between the two passes. Every sum and product is the one pdfium_words.py computes, in the
 * same order and in doubles (built with -ffp-contract=off), so both give equal words; a test
 * compares them on every page of the corpora. pdfium_words.py is the reference and the
 * fallback when this was not built (no C compiler). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef void *(*text_object_fn)(void *textpage, int index);
typedef int (*char_origin_fn)(void *textpage, int index, double *x, double *y);
typedef int (*is_hyphen_fn)(void *textpage, int index);
typedef int (*loose_box_fn)(void *textpage, int index, float *left_top_right_bottom);
typedef int (*glyph_width_fn)(void *font, unsigned glyph, float size, float *width);
typedef void *(*object_font_fn)(void *object);
typedef int (*object_size_fn)(void *object, float *size);
typedef int (*char_matrix_fn)(void *textpage, int index, float *abcdef);

/* The order of pdfium_native.py's FUNCTIONS. */
enum { TEXT_OBJECT, CHAR_ORIGIN, IS_HYPHEN, LOOSE_BOX, GLYPH_WIDTH, OBJECT_FONT, OBJECT_SIZE, CHAR_MATRIX };

#define X_TOLERANCE 3.0
#define Y_TOLERANCE 3.0

/* Python's str.isspace: a space ends a word. */
static int is_space(uint32_t c) {
    return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
           c == 0x3000;
}

static size_t table_size(size_t wanted) {
    size_t size = 64;
    while (size < 2 * wanted)
        size <<= 1;
    return size;
}

static size_t mix(uint64_t key) {
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdULL;
    key ^= key >> 33;
    return (size_t)key;
}

/* Pass 1. For characters 0..count-1: the slot of its text object (-1 for a character pdfium
 * generated; slots numbered in order of first appearance) and its origin (0, 0 when pdfium
 * gives none). Per slot: the object, the character it first appears at and its font's
 * number; fonts numbered in order of first appearance. Returns the number of slots, or -1
 * when out of memory; `*font_count` is set. */
int nqgraph_scan(void **pdfium, void *textpage, int count, int *slot_of, double *xs, double *ys, void **slot_object,
                 int *slot_first, int *slot_font, void **fonts, int *font_count) {
    text_object_fn object_of = (text_object_fn)pdfium[TEXT_OBJECT];
    char_origin_fn origin_of = (char_origin_fn)pdfium[CHAR_ORIGIN];
    object_font_fn font_of = (object_font_fn)pdfium[OBJECT_FONT];
    size_t size = table_size((size_t)count), mask = size - 1;
    void **keys = calloc(size, sizeof(void *));
    int *values = malloc(size * sizeof(int));
    if (!keys || !values) {
        free(keys);
        free(values);
        return -1;
    }
    int slots = 0, last_slot = -1;
    void *last = NULL;
    *font_count = 0;
    for (int i = 0; i < count; i++) {
        void *object = object_of(textpage, i);
        if (!origin_of(textpage, i, &xs[i], &ys[i]))
            xs[i] = ys[i] = 0.0;
        if (!object) {
            slot_of[i] = -1;
            continue;
        }
        if (object != last) {
            size_t at = mix((uint64_t)(uintptr_t)object) & mask;
            while (keys[at] && keys[at] != object)
                at = (at + 1) & mask;
            if (!keys[at]) {
                keys[at] = object;
                values[at] = slots;
                slot_object[slots] = object;
                slot_first[slots] = i;
                void *font = font_of(object);
                int known = 0;
                while (known < *font_count && fonts[known] != font)
                    known++;
                if (known == *font_count)
                    fonts[(*font_count)++] = font;
                slot_font[slots] = known;
                slots++;
            }
            last = object;
            last_slot = values[at];
        }
        slot_of[i] = last_slot;
    }
    free(keys);
    free(values);
    return slots;
}

typedef struct {
    int ready, font;
    double advance_scale, descent_offset, rise;
    unsigned char upright;
} ObjectBox;

typedef struct {
    uint64_t key; /* font number + 1 in the high half, the character in the low: 0 is empty */
    double advance;
} Width;

/* Pass 2: pdfium_words._chars. Each character's (code, x0, x1, top, bottom, size, font
 * name's number, upright) into the out arrays, word breaks pdfium generated kept as spaces;
 * per slot, the index of its last character out (-1: none). Per font, `font_descent` and
 * `font_name` come from Python (two fonts may share a name; words group by the name).
 * Returns how many characters were written, or -1 when out of memory. */
int nqgraph_chars(void **pdfium, void *textpage, int count, const uint32_t *codes, const int *slot_of,
                  const double *xs, const double *ys, int slots, void **slot_object, const int *slot_font,
                  void **fonts, const double *font_descent, const int *font_name, double page_height, uint32_t *out_code, double *out_x0,
                  double *out_x1, double *out_top, double *out_bottom, double *out_size, int *out_font,
                  unsigned char *out_upright, int *slot_last) {
    is_hyphen_fn is_hyphen = (is_hyphen_fn)pdfium[IS_HYPHEN];
    loose_box_fn loose_box = (loose_box_fn)pdfium[LOOSE_BOX];
    glyph_width_fn glyph_width = (glyph_width_fn)pdfium[GLYPH_WIDTH];
    object_size_fn size_of = (object_size_fn)pdfium[OBJECT_SIZE];
    char_matrix_fn matrix_of = (char_matrix_fn)pdfium[CHAR_MATRIX];
    ObjectBox *boxes = calloc(slots > 0 ? (size_t)slots : 1, sizeof(ObjectBox));
    size_t size = table_size((size_t)count), mask = size - 1;
    Width *widths = calloc(size, sizeof(Width));
    if (!boxes || !widths) {
        free(boxes);
        free(widths);
        return -1;
    }
    for (int s = 0; s < slots; s++)
        slot_last[s] = -1;
    int n = 0;
    for (int i = 0; i < count; i++) {
        uint32_t ch = codes[i];
        double x0 = xs[i];
        int slot = slot_of[i];
        if (slot < 0) { /* generated by pdfium: a space stands where the real one was */
            if (ch == ' ' && n > 0 && out_code[n - 1] != ' ') {
                out_code[n] = ' ';
                out_x0[n] = out_x1[n] = x0;
                out_top[n] = out_top[n - 1];
                out_bottom[n] = out_bottom[n - 1];
                out_size[n] = out_size[n - 1];
                out_font[n] = out_font[n - 1];
                out_upright[n] = out_upright[n - 1];
                n++;
            }
            continue;
        }
        ObjectBox *box = &boxes[slot];
        if (!box->ready) {
            float font_size = 0.0f, m[6] = {0};
            size_of(slot_object[slot], &font_size);
            matrix_of(textpage, i, m);
            double fs = font_size, a = m[0], b = m[1], c = m[2], d = m[3];
            box->font = slot_font[slot];
            box->advance_scale = a > 0 ? a * fs : 0.0;
            box->descent_offset = d * font_descent[box->font] * fs;
            box->rise = d * fs;
            box->upright = a * d > 0 && b * c <= 0;
            box->ready = 1;
        }
        if ((ch == 0x02 || ch == 0xfffe) && is_hyphen(textpage, i))
            ch = '-'; /* pdfium marks a hyphen that ends a line; the page holds a plain one */
        double x1 = 0.0;
        Width *known = NULL;
        if (box->advance_scale) {
            uint64_t key = ((uint64_t)(box->font + 1) << 32) | ch;
            size_t at = mix(key) & mask;
            while (widths[at].key && widths[at].key != key)
                at = (at + 1) & mask;
            if (widths[at].key) {
                x1 = x0 + box->advance_scale * widths[at].advance;
            } else {
                known = &widths[at];
                known->key = key;
            }
        }
        if (!box->advance_scale || known) {
            float rect[4] = {0};
            loose_box(textpage, i, rect);
            if (!box->advance_scale) {
                x1 = rect[2];
            } else {
                float width = 0.0f;
                int ok = glyph_width(fonts[box->font], ch, 1000.0f, &width);
                double glyph = ok && width > 0 ? (double)width / 1000 : INFINITY;
                double loose = (rect[2] - x0) / box->advance_scale;
                known->advance = loose < glyph ? loose : glyph;
                x1 = x0 + box->advance_scale * known->advance;
            }
        }
        double low = ys[i] + box->descent_offset, high = low + box->rise;
        if (high < low) {
            double swap = low;
            low = high;
            high = swap;
        }
        out_code[n] = ch;
        out_x0[n] = x0;
        out_x1[n] = x1;
        out_top[n] = page_height - high;
        out_bottom[n] = page_height - low;
        out_size[n] = high - low;
        out_font[n] = font_name[box->font];
        out_upright[n] = box->upright;
        slot_last[slot] = n;
        n++;
    }
    free(boxes);
    free(widths);
    return n;
}

typedef struct {
    int position, index, line; /* place in the page's order, character, line number in its run */
    double x0;
} Placed;

static const double *sort_tops; /* qsort takes no context argument in C99 */

static int compare_top(const void *a, const void *b) {
    const Placed *pa = a, *pb = b;
    double ta = sort_tops[pa->index], tb = sort_tops[pb->index];
    return ta < tb ? -1 : ta > tb ? 1 : pa->position - pb->position;
}

static int compare_line_x0(const void *a, const void *b) {
    const Placed *pa = a, *pb = b;
    if (pa->line != pb->line)
        return pa->line < pb->line ? -1 : 1;
    if (pa->x0 != pb->x0)
        return pa->x0 < pb->x0 ? -1 : 1;
    return pa->position - pb->position;
}

/* Pass 3: pdfium_words.words_from_chars, pdfplumber's WordExtractor, over the characters
 * order[0..m-1] (0..m-1 when `order` is NULL). Characters are cut into runs of one
 * direction, font and size, runs into lines (tops chained within 3 pt, each line by x0),
 * lines into words (a space, a gap over 3 pt or a step back ends a word). Per word: its
 * characters' codes at [start, end) of `word_codes`, x0 and size and font of its first
 * character, the widest x1, the highest top, the lowest bottom. Returns the number of
 * words, or -1 when out of memory. */
int nqgraph_words(int m, const int *order, const uint32_t *code, const double *x0, const double *x1,
                  const double *top, const double *bottom, const double *size, const int *font,
                  const unsigned char *upright, uint32_t *word_codes, int *word_start, int *word_end,
                  double *word_x0, double *word_x1, double *word_top, double *word_bottom, double *word_size,
                  int *word_font) {
    Placed *placed = malloc((m > 0 ? (size_t)m : 1) * sizeof(Placed));
    if (!placed)
        return -1;
#define CHAR_AT(p) (order ? order[p] : (p))
    int words = 0, written = 0;
    sort_tops = top;
    for (int start = 0; start < m;) {
        int first = CHAR_AT(start), end = start + 1;
        while (end < m && upright[CHAR_AT(end)] == upright[first] && font[CHAR_AT(end)] == font[first]
               && size[CHAR_AT(end)] == size[first])
            end++;
        int length = end - start;
        for (int k = 0; k < length; k++) {
            placed[k].position = start + k;
            placed[k].index = CHAR_AT(start + k);
        }
        qsort(placed, (size_t)length, sizeof(Placed), compare_top);
        int line = 0;
        for (int k = 0; k < length; k++) {
            if (k > 0 && top[placed[k].index] > top[placed[k - 1].index] + Y_TOLERANCE)
                line++;
            placed[k].line = line;
            placed[k].x0 = x0[placed[k].index];
        }
        qsort(placed, (size_t)length, sizeof(Placed), compare_line_x0);
        int open = 0, previous = -1; /* a word is open; its last character */
        for (int k = 0; k <= length; k++) {
            int i = k < length ? placed[k].index : -1;
            int ends = i < 0 || (open && (placed[k].line != placed[k - 1].line || is_space(code[i])
                                          || x0[i] < x0[previous] || x0[i] > x1[previous] + X_TOLERANCE
                                          || fabs(top[i] - top[previous]) > Y_TOLERANCE));
            if (ends && open) {
                word_end[words++] = written;
                open = 0;
            }
            if (i < 0 || is_space(code[i]))
                continue;
            if (!open) {
                open = 1;
                word_start[words] = written;
                word_x0[words] = x0[i];
                word_x1[words] = x1[i];
                word_top[words] = top[i];
                word_bottom[words] = bottom[i];
                word_size[words] = size[i];
                word_font[words] = font[i];
            } else {
                if (x1[i] > word_x1[words])
                    word_x1[words] = x1[i];
                if (top[i] < word_top[words])
                    word_top[words] = top[i];
                if (bottom[i] > word_bottom[words])
                    word_bottom[words] = bottom[i];
            }
            word_codes[written++] = code[i];
            previous = i;
        }
        start = end;
    }
#undef CHAR_AT
    free(placed);
    return words;
}

typedef int (*count_fn)(void *owner);
typedef void *(*object_at_fn)(void *owner, int index);
typedef void *(*form_object_at_fn)(void *form, unsigned long index);
typedef int (*object_type_fn)(void *object);
typedef int (*object_matrix_fn)(void *object, float *abcdef);
typedef int (*object_bounds_fn)(void *object, float *left, float *bottom, float *right, float *top);

/* The order of pdfium_native.py's WALK_FUNCTIONS. */
enum { PAGE_COUNT, PAGE_OBJECT, FORM_COUNT, FORM_OBJECT, OBJECT_TYPE, OBJECT_MATRIX, OBJECT_BOUNDS };

#define TEXT_OBJECT_TYPE 1
#define FORM_OBJECT_TYPE 5
#define BLANK_WIDTH 0.01 /* pdfium leaves out a text object narrower than this: a run of spaces */
#define FORM_DEPTH 8

typedef struct {
    void **fn;
    void **keys; /* the slots' objects with a character out, and that character's index */
    int *values;
    size_t mask;
    float m[6], left, bottom, right, top; /* kept across objects, as pdfium_words.py keeps its buffers */
    int previous, found, capacity;
    void **out_object;
    int *out_at;
    double *out_matrix;
} Walk;

static void walk_objects(Walk *w, void *owner, int is_form, const double *outer, int depth) {
    int count = is_form ? ((count_fn)w->fn[FORM_COUNT])(owner) : ((count_fn)w->fn[PAGE_COUNT])(owner);
    for (int k = 0; k < count; k++) {
        void *object = is_form ? ((form_object_at_fn)w->fn[FORM_OBJECT])(owner, (unsigned long)k)
                               : ((object_at_fn)w->fn[PAGE_OBJECT])(owner, k);
        int kind = ((object_type_fn)w->fn[OBJECT_TYPE])(object);
        if (kind != TEXT_OBJECT_TYPE && kind != FORM_OBJECT_TYPE)
            continue;
        ((object_matrix_fn)w->fn[OBJECT_MATRIX])(object, w->m);
        double ma = w->m[0], mb = w->m[1], mc = w->m[2], md = w->m[3], me = w->m[4], mf = w->m[5];
        double a = outer[0], b = outer[1], c = outer[2], d = outer[3], e = outer[4], f = outer[5];
        double own[6] = {ma * a + mb * c, ma * b + mb * d, mc * a + md * c, mc * b + md * d,
                         me * a + mf * c + e, me * b + mf * d + f};
        if (kind == FORM_OBJECT_TYPE) {
            if (depth < FORM_DEPTH)
                walk_objects(w, object, 1, own, depth + 1);
            continue;
        }
        ((object_bounds_fn)w->fn[OBJECT_BOUNDS])(object, &w->left, &w->bottom, &w->right, &w->top);
        if (!(fabs((double)w->right - (double)w->left) < BLANK_WIDTH)) {
            size_t at = mix((uint64_t)(uintptr_t)object) & w->mask;
            while (w->keys[at] && w->keys[at] != object)
                at = (at + 1) & w->mask;
            if (w->keys[at])
                w->previous = w->values[at];
            continue;
        }
        if (w->found < w->capacity) {
            w->out_object[w->found] = object;
            w->out_at[w->found] = w->previous + 1;
            memcpy(&w->out_matrix[6 * w->found], own, sizeof own);
        }
        w->found++;
    }
}

/* pdfium_words._text_objects and the places of blank_chars: the page's text objects in
 * content-stream order (forms opened), and for each blank one (narrower than BLANK_WIDTH:
 * pdfium's text page leaves it out) its matrix on the page and where its space goes, after
 * the last character out of the text object before it (`slot_last`, from pass 2). Returns
 * how many blank objects there are (only `capacity` are written), or -1 out of memory. */
int nqgraph_blank_objects(void **pdfium, void *page, int slots, void **slot_object, const int *slot_last,
                          int capacity, void **out_object, int *out_at, double *out_matrix) {
    size_t size = table_size((size_t)(slots > 0 ? slots : 1));
    Walk w = {pdfium, calloc(size, sizeof(void *)), malloc(size * sizeof(int)), size - 1, {0}, 0, 0, 0, 0,
              -1, 0, capacity, out_object, out_at, out_matrix};
    if (!w.keys || !w.values) {
        free(w.keys);
        free(w.values);
        return -1;
    }
    for (int s = 0; s < slots; s++) {
        if (slot_last[s] < 0)
            continue;
        size_t at = mix((uint64_t)(uintptr_t)slot_object[s]) & w.mask;
        while (w.keys[at] && w.keys[at] != slot_object[s])
            at = (at + 1) & w.mask;
        w.keys[at] = slot_object[s];
        w.values[at] = slot_last[s];
    }
    const double identity[6] = {1, 0, 0, 1, 0, 0};
    walk_objects(&w, page, 0, identity, 0);
    free(w.keys);
    free(w.values);
    return w.found;
}

/* setuptools builds this as an extension module; ctypes loads it, Python never imports it. */
void *PyInit__pdfium_native(void) { return NULL; }
