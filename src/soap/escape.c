/* escape.c - text to XML, and the checks that make it safe (see escape.h). */
#include "soap/escape.h"

#include <string.h>

/* Decodes one UTF-8 sequence at s (n bytes left); the code point, or -1 for
 * a malformed, overlong or surrogate sequence. *adv gets its length. */
static long utf8_next(const unsigned char *s, size_t n, size_t *adv)
{
	long cp;
	size_t len, i;

	if (s[0] < 0x80) {
		*adv = 1;
		return s[0];
	}
	if ((s[0] & 0xE0) == 0xC0) {
		len = 2;
		cp = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3;
		cp = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return -1;
	}
	if (len > n)
		return -1;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*adv = len;
	return cp;
}

/* XML 1.0 Char production: #x9 | #xA | #xD | [#x20-#xD7FF] |
 * [#xE000-#xFFFD] | [#x10000-#x10FFFF]. */
static int xml_char_allowed(long cp)
{
	return cp == 0x9 || cp == 0xA || cp == 0xD ||
	       (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
	       (cp >= 0x10000 && cp <= 0x10FFFF);
}

int soap_text_is_valid(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, adv;
	long cp;

	while (i < len) {
		cp = utf8_next(s + i, len - i, &adv);
		if (cp < 0 || !xml_char_allowed(cp))
			return 0;
		i += adv;
	}
	return 1;
}

static int put_escaped(buf *b, const char *text, size_t len, int attr)
{
	size_t i, run = 0;
	const char *rep;

	if (!soap_text_is_valid(text, len))
		return -1;
	for (i = 0; i < len; i++) {
		switch (text[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		case '\t': rep = attr ? "&#9;" : NULL; break;
		case '\n': rep = attr ? "&#10;" : NULL; break;
		/* A bare CR in content would be normalised away by the parser. */
		case '\r': rep = "&#13;"; break;
		default: rep = NULL; break;
		}
		if (!rep)
			continue;
		buf_put(b, text + run, i - run);
		buf_puts(b, rep);
		run = i + 1;
	}
	buf_put(b, text + run, len - run);
	if (buf_failed(b))
		return -1;
	return 0;
}

int soap_put_text_len(buf *b, const char *text, size_t len)
{
	return put_escaped(b, text ? text : "", text ? len : 0, 0);
}

int soap_put_text(buf *b, const char *text)
{
	return soap_put_text_len(b, text, text ? strlen(text) : 0);
}

int soap_put_attr(buf *b, const char *text)
{
	return put_escaped(b, text ? text : "", text ? strlen(text) : 0, 1);
}
