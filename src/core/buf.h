/* buf.h - the one growable string buffer of the project.
 *
 * Every buffer has a size cap fixed at creation: an append that would pass
 * it (or an allocation failure) makes the buffer "failed", frees nothing
 * the caller still needs, and turns later appends into no-ops. Callers
 * append freely and test buf_failed() once at the end (git_str's sticky
 * OOM flag, curl's dynbuf cap). The content is always NUL-terminated.
 */
#ifndef INCLUDE_buf_h__
#define INCLUDE_buf_h__

#include <stdarg.h>
#include <stddef.h>

typedef struct buf {
	char *ptr;      /* NULL until the first append */
	size_t len;     /* bytes used, excluding the terminating NUL */
	size_t asize;   /* bytes allocated */
	size_t cap;     /* the most len may reach */
	int failed;     /* sticky: cap passed or out of memory */
} buf;

#define BUF_INIT(cap) { NULL, 0, 0, (cap), 0 }

/* Appends; 0, or -1 once the buffer has failed. */
int buf_put(buf *b, const void *data, size_t len);
int buf_puts(buf *b, const char *s);
int buf_putc(buf *b, char c);
int buf_printf(buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Non-zero once an append failed (cap passed or out of memory). */
int buf_failed(const buf *b);

/* The content as a C string; "" for an empty buffer. Borrowed. */
const char *buf_cstr(const buf *b);

/* Hands the content to the caller (free() it); the buffer is reset empty.
 * Returns a heap "" for an empty buffer, NULL if the buffer failed. */
char *buf_detach(buf *b);

/* Shortens to len bytes (no-op when len >= b->len). */
void buf_truncate(buf *b, size_t len);

/* Empties the buffer, keeping its memory and cap; clears the failed flag. */
void buf_clear(buf *b);

/* Frees the memory; the buffer is empty and usable again. */
void buf_dispose(buf *b);

#endif
