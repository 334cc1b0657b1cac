/* b64.c - strict RFC 4648 base64 (see b64.h).
 *
 * Decoding runs in two passes: the first checks the whole input (so an
 * error never leaves half a result in the caller's buffer) and counts the
 * output bytes, the second converts. Whitespace is skipped only when the
 * caller asks for it.
 */
#include "core/b64.h"

#include <stdint.h>

static const char alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* 0..63 for alphabet characters, -1 otherwise. */
static int sextet(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

size_t b64_encoded_len(size_t n)
{
	size_t groups = n / 3 + (n % 3 != 0);

	if (groups > ((size_t)-1) / 4)
		return 0;
	return groups * 4;
}

size_t b64_decoded_max(size_t n)
{
	return n / 4 * 3 + 3;
}

int b64_encode(buf *out, const void *data, size_t len, errinfo *err)
{
	const unsigned char *p = data;
	size_t need = b64_encoded_len(len);
	char quad[4];
	size_t i;

	if (len && (need == 0 || out->failed || need > out->cap - out->len ||
		    out->len > out->cap)) {
		out->failed = 1;
		return errinfo_set(err, ERR_NOMEM,
				   "base64: encoding %zu bytes needs %zu characters, more than the %zu allowed",
				   len, need, out->cap);
	}
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];

		quad[0] = alphabet[v >> 18];
		quad[1] = alphabet[(v >> 12) & 63];
		quad[2] = alphabet[(v >> 6) & 63];
		quad[3] = alphabet[v & 63];
		buf_put(out, quad, 4);
	}
	if (i < len) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		quad[0] = alphabet[v >> 18];
		quad[1] = alphabet[(v >> 12) & 63];
		quad[2] = i + 1 < len ? alphabet[(v >> 6) & 63] : '=';
		quad[3] = '=';
		buf_put(out, quad, 4);
	}
	if (buf_failed(out))
		return errinfo_set(err, ERR_NOMEM, "base64: out of memory");
	return 0;
}

/* Pass one: validates text and returns the decoded size in *out_len. */
static int check(size_t *out_len, const char *text, size_t len, int flags,
		 errinfo *err)
{
	size_t i, count = 0, pad = 0, pad_at = 0;
	int last = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)text[i];

		if (is_space(c) && (flags & B64_IGNORE_SPACE))
			continue;
		if (c == '=') {
			if (pad == 0)
				pad_at = count;
			pad++;
			count++;
			continue;
		}
		if (sextet(c) < 0) {
			if (c >= 0x20 && c < 0x7f)
				return errinfo_set(err, ERR_INVAL,
						   "base64: invalid character '%c' at offset %zu",
						   c, i);
			return errinfo_set(err, ERR_INVAL,
					   "base64: invalid byte 0x%02x at offset %zu",
					   c, i);
		}
		if (pad)
			return errinfo_set(err, ERR_INVAL,
					   "base64: data after padding at offset %zu", i);
		last = sextet(c);
		count++;
	}
	if (count % 4 != 0)
		return errinfo_set(err, ERR_INVAL,
				   "base64: length %zu is not a multiple of 4 (truncated input?)",
				   count);
	if (pad > 2 || (pad && pad_at % 4 < 2))
		return errinfo_set(err, ERR_INVAL,
				   "base64: bad padding (%zu '=' characters)", pad);
	/* The bits of the last character that do not belong to any byte must
	 * be zero, otherwise two different texts would give the same bytes. */
	if ((pad == 1 && (last & 0x03)) || (pad == 2 && (last & 0x0f)))
		return errinfo_set(err, ERR_INVAL,
				   "base64: non-zero bits before the padding (not canonical base64)");
	*out_len = count / 4 * 3 - pad;
	return 0;
}

int b64_decode(buf *out, const char *text, size_t len, int flags,
	       errinfo *err)
{
	unsigned char bytes[3];
	size_t need = 0, i;
	uint32_t acc = 0;
	int n = 0, error;

	error = check(&need, text, len, flags, err);
	if (error < 0)
		return error;
	if (out->failed || out->len > out->cap || need > out->cap - out->len) {
		out->failed = 1;
		return errinfo_set(err, ERR_NOMEM,
				   "base64: decoded data (%zu bytes) is larger than the %zu allowed",
				   need, out->cap);
	}
	for (i = 0; i < len; i++) {
		int v = sextet((unsigned char)text[i]);

		if (v < 0)
			continue; /* whitespace (checked above) or padding */
		acc = acc << 6 | (uint32_t)v;
		if (++n == 4) {
			bytes[0] = (unsigned char)(acc >> 16);
			bytes[1] = (unsigned char)(acc >> 8);
			bytes[2] = (unsigned char)acc;
			buf_put(out, bytes, 3);
			acc = 0;
			n = 0;
		}
	}
	if (n == 3) {
		bytes[0] = (unsigned char)(acc >> 10);
		bytes[1] = (unsigned char)(acc >> 2);
		buf_put(out, bytes, 2);
	} else if (n == 2) {
		bytes[0] = (unsigned char)(acc >> 4);
		buf_put(out, bytes, 1);
	}
	if (buf_failed(out))
		return errinfo_set(err, ERR_NOMEM, "base64: out of memory");
	return 0;
}
