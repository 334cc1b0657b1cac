/* utf8.c - see utf8.h. */
#include "core/utf8.h"

static int is_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

size_t utf8_boundary(const char *s, size_t len)
{
	size_t k, need;
	unsigned char lead;

	if (len == 0)
		return 0;
	/* The last character's first byte: back over at most three
	 * continuation bytes. */
	k = len - 1;
	while (k > 0 && is_continuation(s[k]) && len - 1 - k < 3)
		k--;
	lead = (unsigned char)s[k];
	need = (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3
	     : (lead & 0xF8) == 0xF0 ? 4 : 1;
	/* Complete when its need bytes are all there; else it is cut off. */
	return k + need <= len ? len : k;
}
