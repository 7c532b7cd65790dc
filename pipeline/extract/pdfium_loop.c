/* The one loop of the pdfium engine that Python cannot make fast: two pdfium calls for
 * every character of a page (its text object and its origin), ~1 µs a character through
 * ctypes, ~10 ns here. pdfium's functions come in as addresses from the library pypdfium2
 * has loaded, so this file needs neither pdfium's headers nor Python's. pdfium_words.py
 * falls back to the same loop in Python when this was not built (no C compiler). */
#include <stddef.h>

typedef void *(*get_text_object)(void *textpage, int index);
typedef int (*get_char_origin)(void *textpage, int index, double *x, double *y);

/* For characters 0..count-1 of `textpage`: its text object (NULL for a character pdfium
 * generated) and its origin (0, 0 when pdfium gives none). */
void nqgraph_char_objects_and_origins(void *object_function, void *origin_function, void *textpage, int count,
                                      void **objects, double *xs, double *ys) {
    get_text_object object_of = (get_text_object)object_function;
    get_char_origin origin_of = (get_char_origin)origin_function;
    for (int i = 0; i < count; i++) {
        objects[i] = object_of(textpage, i);
        if (!origin_of(textpage, i, &xs[i], &ys[i]))
            xs[i] = ys[i] = 0.0;
    }
}

/* setuptools builds this as an extension module; ctypes loads it, Python never imports it. */
void *PyInit__pdfium_loop(void) { return NULL; }
