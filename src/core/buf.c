/* buf.c - the capped, sticky-failure string buffer (see buf.h). */
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int grow(buf *b, size_t extra)
{
	size_t need, size;
	char *p;

	if (b->failed)
		return -1;
	if (extra > b->cap || b->len > b->cap - extra) {
		b->failed = 1;
		return -1;
	}
	need = b->len + extra + 1;
	if (need <= b->asize)
		return 0;
	size = b->asize ? b->asize : 64;
	while (size < need)
		size = size > ((size_t)-1) / 2 ? need : size * 2;
	p = realloc(b->ptr, size);
	if (!p) {
		b->failed = 1;
		return -1;
	}
	b->ptr = p;
	b->asize = size;
	return 0;
}

int buf_put(buf *b, const void *data, size_t len)
{
	if (grow(b, len) < 0)
		return -1;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int buf_puts(buf *b, const char *s)
{
	return buf_put(b, s, s ? strlen(s) : 0);
}

int buf_putc(buf *b, char c)
{
	/* The common case, room already there, without memcpy: writers of
	 * escaped text call this once per character. */
	if (!b->failed && b->len < b->cap && b->len + 2 <= b->asize) {
		b->ptr[b->len++] = c;
		b->ptr[b->len] = '\0';
		return 0;
	}
	return buf_put(b, &c, 1);
}

int buf_vprintf(buf *b, const char *fmt, va_list ap)
{
	va_list copy;
	int n;

	if (b->failed)
		return -1;
	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0) {
		b->failed = 1;
		return -1;
	}
	if (grow(b, (size_t)n) < 0)
		return -1;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return error;
}

int buf_failed(const buf *b)
{
	return b->failed;
}

const char *buf_cstr(const buf *b)
{
	return b->ptr ? b->ptr : "";
}

char *buf_detach(buf *b)
{
	char *p;

	if (b->failed) {
		buf_dispose(b);
		b->failed = 0;
		return NULL;
	}
	p = b->ptr ? b->ptr : strdup("");
	b->ptr = NULL;
	b->len = b->asize = 0;
	return p;
}

void buf_truncate(buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->ptr[len] = '\0';
	}
}

void buf_clear(buf *b)
{
	b->len = 0;
	b->failed = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void buf_dispose(buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->asize = 0;
	b->failed = 0;
}
