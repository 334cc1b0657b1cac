/* ntlm.c - the server side of NTLM over HTTP for ews-sim (see ntlm.h).
 *
 * Message layouts, flags and the NTLMv2 computation follow MS-NLMP:
 * NEGOTIATE §2.2.1.1, CHALLENGE §2.2.1.2, AUTHENTICATE §2.2.1.3, AV_PAIR
 * §2.2.2.1, NTLMv2_CLIENT_CHALLENGE §2.2.2.7, NTOWFv2 and NTProofStr
 * §3.3.2. All integers on the wire are little-endian. Every length and
 * offset in a client message is checked against the message size before
 * use; a message that fails any check is rejected, never partly used.
 */
#include "sim/ntlm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/buf.h"
#include "sim/crypto.h"

/* NegotiateFlags (MS-NLMP §2.2.2.5). */
#define NTLMSSP_NEGOTIATE_UNICODE 0x00000001u
#define NTLMSSP_NEGOTIATE_OEM 0x00000002u
#define NTLMSSP_REQUEST_TARGET 0x00000004u
#define NTLMSSP_NEGOTIATE_SIGN 0x00000010u
#define NTLMSSP_NEGOTIATE_SEAL 0x00000020u
#define NTLMSSP_NEGOTIATE_NTLM 0x00000200u
#define NTLMSSP_ANONYMOUS 0x00000800u
#define NTLMSSP_NEGOTIATE_ALWAYS_SIGN 0x00008000u
#define NTLMSSP_TARGET_TYPE_DOMAIN 0x00010000u
#define NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY 0x00080000u
#define NTLMSSP_NEGOTIATE_TARGET_INFO 0x00800000u
#define NTLMSSP_NEGOTIATE_VERSION 0x02000000u
#define NTLMSSP_NEGOTIATE_128 0x20000000u
#define NTLMSSP_NEGOTIATE_KEY_EXCH 0x40000000u
#define NTLMSSP_NEGOTIATE_56 0x80000000u

/* AvId values (MS-NLMP §2.2.2.1). */
#define MSV_AV_EOL 0
#define MSV_AV_NB_COMPUTER_NAME 1
#define MSV_AV_NB_DOMAIN_NAME 2
#define MSV_AV_DNS_COMPUTER_NAME 3
#define MSV_AV_DNS_DOMAIN_NAME 4
#define MSV_AV_TIMESTAMP 7

#define NEGOTIATE_MIN_LEN 16     /* signature, type, flags */
#define CHALLENGE_HEADER_LEN 56  /* up to and including Version */
#define AUTHENTICATE_MIN_LEN 64  /* up to and including NegotiateFlags */
#define NTLMV2_BLOB_MIN_LEN 28   /* NTLMv2_CLIENT_CHALLENGE without AvPairs */
#define NTLMV1_RESPONSE_LEN 24

/* Windows Server 2019 (10.0.17763), NTLMSSP_REVISION_W2K3 (15). */
static const uint8_t server_version[8] = { 10, 0, 0x63, 0x45, 0, 0, 0, 15 };

static const uint8_t ntlmssp_sig[8] = { 'N', 'T', 'L', 'M', 'S', 'S', 'P', 0 };

struct sim_ntlm_server {
	char *nb_domain;
	char *nb_computer;
	char *dns_domain;
	char *dns_computer;
	sim_ntlm_lookup_fn lookup;
	void *payload;
};

enum conn_state { CONN_IDLE = 0, CONN_CHALLENGED, CONN_AUTHENTICATED };

struct sim_ntlm_conn {
	enum conn_state state;
	uint8_t challenge[8];   /* valid in CONN_CHALLENGED */
	uint32_t flags;         /* what the CHALLENGE announced */
	char smtp[SIM_NTLM_NAME_MAX];  /* valid in CONN_AUTHENTICATED */
};

/* ------------------------------------------------------------------ */
/* Little-endian fields and text conversion                            */
/* ------------------------------------------------------------------ */

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static void put16(buf *b, uint16_t v)
{
	uint8_t x[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	buf_put(b, x, 2);
}

static void put32(buf *b, uint32_t v)
{
	uint8_t x[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
			 (uint8_t)(v >> 24) };

	buf_put(b, x, 4);
}

static void set16(buf *b, size_t at, uint16_t v)
{
	if (!buf_failed(b) && at + 2 <= b->len) {
		b->ptr[at] = (char)(v & 0xff);
		b->ptr[at + 1] = (char)(v >> 8);
	}
}

static void set32(buf *b, size_t at, uint32_t v)
{
	set16(b, at, (uint16_t)v);
	set16(b, at + 2, (uint16_t)(v >> 16));
}

/* Decodes one well-formed UTF-8 sequence (no overlongs, no surrogates,
 * at most U+10FFFF); advances *s. -1 on malformed input. */
static int utf8_next(const unsigned char **s, uint32_t *cp)
{
	const unsigned char *p = *s;
	uint32_t c = p[0], min;
	int n, i;

	if (c < 0x80) {
		n = 0;
		min = 0;
	} else if ((c & 0xe0) == 0xc0) {
		n = 1;
		c &= 0x1f;
		min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 2;
		c &= 0x0f;
		min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 3;
		c &= 0x07;
		min = 0x10000;
	} else {
		return -1;
	}
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return -1;
		c = c << 6 | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*cp = c;
	*s = p + n + 1;
	return 0;
}

static int utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	while (*p)
		if (utf8_next(&p, &cp) < 0)
			return 0;
	return 1;
}

/* Appends the UTF-16LE form of a UTF-8 string; -1 on invalid UTF-8. */
static int put_utf16(buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;

	while (*p) {
		if (utf8_next(&p, &cp) < 0)
			return -1;
		if (cp >= 0x10000) {
			cp -= 0x10000;
			put16(b, (uint16_t)(0xd800 | cp >> 10));
			put16(b, (uint16_t)(0xdc00 | (cp & 0x3ff)));
		} else {
			put16(b, (uint16_t)cp);
		}
	}
	return 0;
}

/* Upper case of one UTF-16 code unit for the scripts Windows user names
 * commonly use: ASCII, Latin-1, Latin Extended-A, Greek, Cyrillic.
 * (Windows uses its full RtlUpcaseUnicodeChar table; names outside these
 * ranges are compared as sent.) */
static uint16_t upper16(uint16_t c)
{
	if (c >= 'a' && c <= 'z')
		return (uint16_t)(c - 32);
	if (c < 0x80)
		return c;
	if (c >= 0xe0 && c <= 0xfe && c != 0xf7)
		return (uint16_t)(c - 32);
	if (c == 0xff)
		return 0x178;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14a && c <= 0x177))
		return (uint16_t)(c & ~1u);           /* even upper, odd lower */
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17e))
		return (uint16_t)((c & 1u) ? c : c - 1); /* odd upper, even lower */
	if (c == 0x3c2)
		return 0x3a3;                         /* final sigma */
	if (c >= 0x3b1 && c <= 0x3c9)
		return (uint16_t)(c - 32);
	if (c >= 0x430 && c <= 0x44f)
		return (uint16_t)(c - 32);
	if (c >= 0x450 && c <= 0x45f)
		return (uint16_t)(c - 80);
	return c;
}

/* Converts UTF-16LE (n bytes, even) to UTF-8 in out (cap bytes incl. NUL).
 * Rejects NUL characters, unpaired surrogates and overflow. 0 or -1. */
static int utf16_to_utf8(char *out, size_t cap, const uint8_t *s, size_t n)
{
	size_t i, o = 0;

	for (i = 0; i + 1 < n; i += 2) {
		uint32_t c = rd16(s + i);

		if (c == 0)
			return -1;
		if (c >= 0xd800 && c <= 0xdbff) {
			uint32_t lo;

			if (i + 3 >= n)
				return -1;
			lo = rd16(s + i + 2);
			if (lo < 0xdc00 || lo > 0xdfff)
				return -1;
			c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
			i += 2;
		} else if (c >= 0xdc00 && c <= 0xdfff) {
			return -1;
		}
		if (o + 5 > cap)
			return -1;
		if (c < 0x80) {
			out[o++] = (char)c;
		} else if (c < 0x800) {
			out[o++] = (char)(0xc0 | c >> 6);
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else if (c < 0x10000) {
			out[o++] = (char)(0xe0 | c >> 12);
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		} else {
			out[o++] = (char)(0xf0 | c >> 18);
			out[o++] = (char)(0x80 | ((c >> 12) & 0x3f));
			out[o++] = (char)(0x80 | ((c >> 6) & 0x3f));
			out[o++] = (char)(0x80 | (c & 0x3f));
		}
	}
	out[o] = '\0';
	return 0;
}

/* ------------------------------------------------------------------ */
/* NTLMv2 (MS-NLMP §3.3.2)                                             */
/* ------------------------------------------------------------------ */

/* NTOWFv2 from the UTF-16LE password, upper-cased user and domain. */
static void ntowfv2_raw(uint8_t out[16], const uint8_t *pw16, size_t pw_len,
			const uint8_t *user16, size_t user_len,
			const uint8_t *dom16, size_t dom_len)
{
	sim_hmac_md5_ctx h;
	uint8_t nt_hash[16];

	sim_md4(nt_hash, pw16, pw_len);
	sim_hmac_md5_init(&h, nt_hash, sizeof(nt_hash));
	sim_hmac_md5_update(&h, user16, user_len);
	sim_hmac_md5_update(&h, dom16, dom_len);
	sim_hmac_md5_final(out, &h);
	memset(nt_hash, 0, sizeof(nt_hash));
}

int sim_ntlm_ntowfv2(uint8_t out[16], const char *password, const char *user,
		     const char *domain, errinfo *err)
{
	buf pw = BUF_INIT(4 * SIM_NTLM_NAME_MAX);
	buf us = BUF_INIT(4 * SIM_NTLM_NAME_MAX);
	buf dom = BUF_INIT(4 * SIM_NTLM_NAME_MAX);
	size_t i;
	int error = 0;

	if (put_utf16(&pw, password ? password : "") < 0 ||
	    put_utf16(&us, user ? user : "") < 0 ||
	    put_utf16(&dom, domain ? domain : "") < 0) {
		error = errinfo_set(err, ERR_INVAL, "NTOWFv2: password, user or domain is not valid UTF-8");
		goto cleanup;
	}
	if (buf_failed(&pw) || buf_failed(&us) || buf_failed(&dom)) {
		error = errinfo_set(err, ERR_NOMEM, "NTOWFv2: password, user or domain too long (limit %d bytes)",
				    2 * SIM_NTLM_NAME_MAX);
		goto cleanup;
	}
	for (i = 0; i + 1 < us.len; i += 2) {
		uint16_t c = upper16(rd16((const uint8_t *)us.ptr + i));

		us.ptr[i] = (char)(c & 0xff);
		us.ptr[i + 1] = (char)(c >> 8);
	}
	ntowfv2_raw(out, (const uint8_t *)buf_cstr(&pw), pw.len,
		    (const uint8_t *)buf_cstr(&us), us.len,
		    (const uint8_t *)buf_cstr(&dom), dom.len);
cleanup:
	if (pw.ptr)
		memset(pw.ptr, 0, pw.asize);
	buf_dispose(&pw);
	buf_dispose(&us);
	buf_dispose(&dom);
	return error;
}

void sim_ntlm_ntproofstr(uint8_t out[16], const uint8_t ntowfv2[16],
			 const uint8_t server_challenge[8],
			 const uint8_t *blob, size_t blob_len)
{
	sim_hmac_md5_ctx h;

	sim_hmac_md5_init(&h, ntowfv2, 16);
	sim_hmac_md5_update(&h, server_challenge, 8);
	sim_hmac_md5_update(&h, blob, blob_len);
	sim_hmac_md5_final(out, &h);
}

/* ------------------------------------------------------------------ */
/* AUTHENTICATE parsing                                                */
/* ------------------------------------------------------------------ */

/* Reads the 8-byte field descriptor (Len, MaxLen, BufferOffset) at `at`
 * and checks that the payload lies inside the message and after the
 * fixed header. An empty field yields NULL/0 whatever its offset. */
static int read_field(const uint8_t **p, size_t *n, const uint8_t *msg,
		      size_t len, size_t at, const char *name, errinfo *err)
{
	size_t flen = rd16(msg + at), off = rd32(msg + at + 4);

	*p = NULL;
	*n = 0;
	if (flen == 0)
		return 0;
	if (off < AUTHENTICATE_MIN_LEN || off > len || flen > len - off)
		return errinfo_set(err, ERR_PARSE, "NTLM AUTHENTICATE: %s (offset %zu, length %zu) lies outside the %zu-byte message",
				   name, off, flen, len);
	*p = msg + off;
	*n = flen;
	return 0;
}

/* Converts a name field to UTF-8 (out) and to the UTF-16LE form used by
 * NTOWFv2 (out16, upper-cased when `upper`). OEM strings are taken as
 * Latin-1 for the hash (each byte one character, as clients widen them);
 * the UTF-8 form keeps valid UTF-8 bytes as they are. */
static int read_name(char *out, uint8_t *out16, size_t *out16_len,
		     const uint8_t *p, size_t n, int unicode, int upper,
		     const char *name, errinfo *err)
{
	size_t i, o = 0;

	*out16_len = 0;
	out[0] = '\0';
	if (n == 0)
		return 0;  /* p is NULL for an empty field */
	if (unicode) {
		if (n % 2)
			return errinfo_set(err, ERR_PARSE, "NTLM AUTHENTICATE: %s has an odd byte length (%zu) for UTF-16", name, n);
		if (n > 2 * (SIM_NTLM_NAME_MAX - 1) ||
		    utf16_to_utf8(out, SIM_NTLM_NAME_MAX, p, n) < 0)
			return errinfo_set(err, ERR_PARSE, "NTLM AUTHENTICATE: %s is not valid UTF-16 or longer than %d bytes",
					   name, SIM_NTLM_NAME_MAX - 1);
		for (i = 0; i < n; i += 2) {
			uint16_t c = rd16(p + i);

			if (upper)
				c = upper16(c);
			out16[i] = (uint8_t)c;
			out16[i + 1] = (uint8_t)(c >> 8);
		}
		*out16_len = n;
		return 0;
	}
	if (n >= SIM_NTLM_NAME_MAX || memchr(p, 0, n))
		return errinfo_set(err, ERR_PARSE, "NTLM AUTHENTICATE: %s is longer than %d bytes or holds a NUL",
				   name, SIM_NTLM_NAME_MAX - 1);
	for (i = 0; i < n; i++) {
		uint16_t c = upper ? upper16(p[i]) : p[i];

		out16[2 * i] = (uint8_t)c;
		out16[2 * i + 1] = (uint8_t)(c >> 8);
	}
	*out16_len = 2 * n;
	memcpy(out, p, n);
	out[n] = '\0';
	if (!utf8_valid(out)) {
		/* Latin-1 to UTF-8, for the lookup; 2 bytes per char at most. */
		char tmp[SIM_NTLM_NAME_MAX];

		for (i = 0; i < n && o + 3 <= sizeof(tmp); i++) {
			if (p[i] < 0x80) {
				tmp[o++] = (char)p[i];
			} else {
				tmp[o++] = (char)(0xc0 | p[i] >> 6);
				tmp[o++] = (char)(0x80 | (p[i] & 0x3f));
			}
		}
		if (i < n)
			return errinfo_set(err, ERR_PARSE, "NTLM AUTHENTICATE: %s is too long once converted to UTF-8", name);
		tmp[o] = '\0';
		memcpy(out, tmp, o + 1);
	}
	return 0;
}

int sim_ntlm_parse_authenticate(sim_ntlm_authenticate *out,
				const uint8_t *msg, size_t len, errinfo *err)
{
	const uint8_t *dom, *user, *ws, *key;
	size_t dom_n, user_n, ws_n, key_n, ws16_len;
	uint8_t ws16[2 * SIM_NTLM_NAME_MAX];
	int unicode, error;

	memset(out, 0, sizeof(*out));
	if (!msg || len < AUTHENTICATE_MIN_LEN)
		return errinfo_set(err, ERR_PARSE, "NTLM AUTHENTICATE: message is %zu bytes, shorter than the %d-byte header",
				   len, AUTHENTICATE_MIN_LEN);
	if (memcmp(msg, ntlmssp_sig, 8) != 0)
		return errinfo_set(err, ERR_PARSE, "NTLM AUTHENTICATE: signature is not NTLMSSP");
	if (rd32(msg + 8) != 3)
		return errinfo_set(err, ERR_PARSE, "NTLM AUTHENTICATE: message type is %u, expected 3", (unsigned)rd32(msg + 8));

	out->flags = rd32(msg + 60);
	unicode = (out->flags & NTLMSSP_NEGOTIATE_UNICODE) != 0;
	error = read_field(&out->lm_response, &out->lm_response_len, msg, len, 12, "LmChallengeResponse", err);
	if (!error)
		error = read_field(&out->nt_response, &out->nt_response_len, msg, len, 20, "NtChallengeResponse", err);
	if (!error)
		error = read_field(&dom, &dom_n, msg, len, 28, "DomainName", err);
	if (!error)
		error = read_field(&user, &user_n, msg, len, 36, "UserName", err);
	if (!error)
		error = read_field(&ws, &ws_n, msg, len, 44, "Workstation", err);
	if (!error)
		error = read_field(&key, &key_n, msg, len, 52, "EncryptedRandomSessionKey", err);
	if (!error)
		error = read_name(out->domain, out->domain16, &out->domain16_len, dom, dom_n, unicode, 0, "DomainName", err);
	if (!error)
		error = read_name(out->user, out->user_upper16, &out->user_upper16_len, user, user_n, unicode, 1, "UserName", err);
	if (!error)
		error = read_name(out->workstation, ws16, &ws16_len, ws, ws_n, unicode, 0, "Workstation", err);
	return error;
}

/* ------------------------------------------------------------------ */
/* Server and connection objects                                       */
/* ------------------------------------------------------------------ */

static int copy_name(char **out, const char *value, const char *fallback,
		     const char *field, errinfo *err)
{
	const char *v = value ? value : fallback;
	const unsigned char *p;

	if (!*v || strlen(v) >= SIM_NTLM_NAME_MAX || !utf8_valid(v))
		return errinfo_set(err, ERR_INVAL, "NTLM options: %s must be 1 to %d bytes of UTF-8",
				   field, SIM_NTLM_NAME_MAX - 1);
	for (p = (const unsigned char *)v; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return errinfo_set(err, ERR_INVAL, "NTLM options: %s holds a control character", field);
	*out = strdup(v);
	if (!*out)
		return errinfo_set(err, ERR_NOMEM, "NTLM options: out of memory");
	return 0;
}

int sim_ntlm_server_new(sim_ntlm_server **out, const sim_ntlm_options *opts,
			errinfo *err)
{
	sim_ntlm_server *srv;
	int error;

	*out = NULL;
	if (!opts || !opts->lookup)
		return errinfo_set(err, ERR_INVAL, "NTLM options: lookup callback is required");
	srv = calloc(1, sizeof(*srv));
	if (!srv)
		return errinfo_set(err, ERR_NOMEM, "NTLM options: out of memory");
	error = copy_name(&srv->nb_domain, opts->nb_domain, "CONTOSO", "nb_domain", err);
	if (!error)
		error = copy_name(&srv->nb_computer, opts->nb_computer, "EXCH01", "nb_computer", err);
	if (!error)
		error = copy_name(&srv->dns_domain, opts->dns_domain, "contoso.test", "dns_domain", err);
	if (!error)
		error = copy_name(&srv->dns_computer, opts->dns_computer, "exch01.contoso.test", "dns_computer", err);
	if (error < 0) {
		sim_ntlm_server_free(srv);
		return error;
	}
	srv->lookup = opts->lookup;
	srv->payload = opts->payload;
	*out = srv;
	return 0;
}

void sim_ntlm_server_free(sim_ntlm_server *srv)
{
	if (!srv)
		return;
	free(srv->nb_domain);
	free(srv->nb_computer);
	free(srv->dns_domain);
	free(srv->dns_computer);
	free(srv);
}

int sim_ntlm_conn_new(sim_ntlm_conn **out, errinfo *err)
{
	*out = calloc(1, sizeof(**out));
	if (!*out)
		return errinfo_set(err, ERR_NOMEM, "NTLM: out of memory for connection state");
	return 0;
}

void sim_ntlm_conn_free(sim_ntlm_conn *conn)
{
	if (!conn)
		return;
	memset(conn, 0, sizeof(*conn));
	free(conn);
}

const char *sim_ntlm_conn_identity(const sim_ntlm_conn *conn)
{
	return conn && conn->state == CONN_AUTHENTICATED ? conn->smtp : NULL;
}

static void conn_reset(sim_ntlm_conn *conn)
{
	memset(conn, 0, sizeof(*conn));
	conn->state = CONN_IDLE;
}

/* ------------------------------------------------------------------ */
/* The handshake                                                       */
/* ------------------------------------------------------------------ */

/* Flags of our CHALLENGE, answering the client's NEGOTIATE flags: we
 * always offer NTLM with TargetInfo (NTLMv2 needs it) and a domain
 * TargetName; character set, signing-related and version flags mirror
 * the request. LM_KEY is never granted (LM is refused), which also keeps
 * it from conflicting with extended session security. */
static uint32_t answer_flags(uint32_t req)
{
	const uint32_t mirrored = NTLMSSP_NEGOTIATE_SIGN |
				  NTLMSSP_NEGOTIATE_SEAL |
				  NTLMSSP_NEGOTIATE_ALWAYS_SIGN |
				  NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |
				  NTLMSSP_NEGOTIATE_VERSION |
				  NTLMSSP_NEGOTIATE_128 |
				  NTLMSSP_NEGOTIATE_KEY_EXCH |
				  NTLMSSP_NEGOTIATE_56;
	uint32_t f = NTLMSSP_NEGOTIATE_NTLM | NTLMSSP_REQUEST_TARGET |
		     NTLMSSP_TARGET_TYPE_DOMAIN | NTLMSSP_NEGOTIATE_TARGET_INFO;

	f |= (req & NTLMSSP_NEGOTIATE_UNICODE) ? NTLMSSP_NEGOTIATE_UNICODE
					       : NTLMSSP_NEGOTIATE_OEM;
	return f | (req & mirrored);
}

static void put_av_name(buf *b, uint16_t id, const char *value)
{
	size_t at = b->len;

	put16(b, id);
	put16(b, 0);
	put_utf16(b, value);  /* validated UTF-8 at server creation */
	set16(b, at + 2, (uint16_t)(b->len - at - 4));
}

/* FILETIME: 100 ns intervals since 1601-01-01 UTC. */
static uint64_t filetime_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((uint64_t)ts.tv_sec + 11644473600ull) * 10000000ull +
	       (uint64_t)ts.tv_nsec / 100;
}

/* Builds the CHALLENGE message for these flags and challenge into msg. */
static void build_challenge(buf *msg, const sim_ntlm_server *srv,
			    uint32_t flags, const uint8_t challenge[8])
{
	static const uint8_t zero8[8] = { 0 };
	size_t name_at, info_at;
	uint64_t ft = filetime_now();
	int i;

	buf_put(msg, ntlmssp_sig, 8);
	put32(msg, 2);
	put16(msg, 0);                     /* TargetNameFields, set below */
	put16(msg, 0);
	put32(msg, CHALLENGE_HEADER_LEN);
	put32(msg, flags);
	buf_put(msg, challenge, 8);
	buf_put(msg, zero8, 8);            /* Reserved */
	put16(msg, 0);                     /* TargetInfoFields, set below */
	put16(msg, 0);
	put32(msg, 0);
	buf_put(msg, (flags & NTLMSSP_NEGOTIATE_VERSION) ? server_version
							 : zero8, 8);

	name_at = msg->len;
	if (flags & NTLMSSP_NEGOTIATE_UNICODE)
		put_utf16(msg, srv->nb_domain);
	else
		buf_puts(msg, srv->nb_domain);
	set16(msg, 12, (uint16_t)(msg->len - name_at));
	set16(msg, 14, (uint16_t)(msg->len - name_at));

	info_at = msg->len;
	put_av_name(msg, MSV_AV_NB_DOMAIN_NAME, srv->nb_domain);
	put_av_name(msg, MSV_AV_NB_COMPUTER_NAME, srv->nb_computer);
	put_av_name(msg, MSV_AV_DNS_DOMAIN_NAME, srv->dns_domain);
	put_av_name(msg, MSV_AV_DNS_COMPUTER_NAME, srv->dns_computer);
	put16(msg, MSV_AV_TIMESTAMP);
	put16(msg, 8);
	for (i = 0; i < 8; i++)
		buf_putc(msg, (char)(uint8_t)(ft >> (8 * i)));
	put16(msg, MSV_AV_EOL);
	put16(msg, 0);
	set16(msg, 40, (uint16_t)(msg->len - info_at));
	set16(msg, 42, (uint16_t)(msg->len - info_at));
	set32(msg, 44, (uint32_t)info_at);
}

static void set_header(sim_ntlm_result *out, const char *value)
{
	snprintf(out->www_authenticate, sizeof(out->www_authenticate), "%s",
		 value);
}

static int reject(sim_ntlm_result *out, sim_ntlm_conn *conn,
		  sim_auth_scheme scheme, const char *reason)
{
	conn_reset(conn);
	out->outcome = SIM_NTLM_REJECTED;
	out->http_status = 401;
	set_header(out, scheme == SIM_AUTH_NEGOTIATE ? "Negotiate" : "NTLM");
	/* Reasons are short literals; cut rather than warn if one ever is not. */
	{
		size_t n = strnlen(reason, sizeof(out->reason) - 1);

		memcpy(out->reason, reason, n);
		out->reason[n] = '\0';
	}
	return 0;
}

static int handle_negotiate(sim_ntlm_result *out, sim_ntlm_conn *conn,
			    const sim_ntlm_server *srv, sim_auth_scheme scheme,
			    const uint8_t *msg, size_t len, errinfo *err)
{
	buf chal = BUF_INIT(SIM_NTLM_HEADER_MAX);
	buf hdr = BUF_INIT(SIM_NTLM_HEADER_MAX - 1);
	uint32_t flags;
	int error;

	if (len < NEGOTIATE_MIN_LEN)
		return reject(out, conn, scheme, "NTLM NEGOTIATE message shorter than 16 bytes");
	conn_reset(conn);
	flags = answer_flags(rd32(msg + 12));
	error = sim_random_bytes(conn->challenge, sizeof(conn->challenge), err);
	if (error < 0)
		goto cleanup;
	build_challenge(&chal, srv, flags, conn->challenge);
	if (buf_failed(&chal) ||
	    sim_httpauth_put_token_challenge(&hdr, scheme, chal.ptr, chal.len) < 0) {
		error = errinfo_set(err, ERR_NOMEM, "NTLM: CHALLENGE message does not fit in %d bytes",
				    SIM_NTLM_HEADER_MAX);
		goto cleanup;
	}
	conn->flags = flags;
	conn->state = CONN_CHALLENGED;
	out->outcome = SIM_NTLM_CHALLENGE;
	out->http_status = 401;
	set_header(out, buf_cstr(&hdr));
cleanup:
	if (error < 0)
		conn_reset(conn);
	buf_dispose(&chal);
	buf_dispose(&hdr);
	return error;
}

static int handle_authenticate(sim_ntlm_result *out, sim_ntlm_conn *conn,
			       const sim_ntlm_server *srv,
			       sim_auth_scheme scheme, const uint8_t *msg,
			       size_t len, errinfo *err)
{
	sim_ntlm_authenticate a;
	errinfo perr = ERRINFO_INIT;
	char password[SIM_NTLM_NAME_MAX] = "";
	char smtp[SIM_NTLM_NAME_MAX] = "";
	buf pw16 = BUF_INIT(4 * SIM_NTLM_NAME_MAX);
	uint8_t ntowf[16], proof[16], challenge[8];
	const uint8_t *blob;
	size_t blob_len;
	int error = 0, ok;

	if (conn->state != CONN_CHALLENGED)
		return reject(out, conn, scheme, "NTLM AUTHENTICATE without a CHALLENGE on this connection");
	/* The server challenge is single-use: whatever happens next, it is
	 * gone, so a captured AUTHENTICATE cannot be replayed. */
	memcpy(challenge, conn->challenge, sizeof(challenge));
	conn_reset(conn);

	if (sim_ntlm_parse_authenticate(&a, msg, len, &perr) < 0)
		return reject(out, conn, scheme, perr.msg);
	if (a.domain[0])
		snprintf(out->login, sizeof(out->login), "%s\\%s", a.domain, a.user);
	else
		snprintf(out->login, sizeof(out->login), "%s", a.user);
	if ((a.flags & NTLMSSP_ANONYMOUS) || (!a.user[0] && a.nt_response_len == 0))
		return reject(out, conn, scheme, "anonymous NTLM logon refused");
	if (!a.user[0])
		return reject(out, conn, scheme, "NTLM AUTHENTICATE has an empty UserName");
	if (a.nt_response_len == 0)
		return reject(out, conn, scheme, "LM-only NTLM response refused (NTLMv2 required)");
	if (a.nt_response_len == NTLMV1_RESPONSE_LEN)
		return reject(out, conn, scheme, "NTLMv1 response refused (NTLMv2 required)");
	if (a.nt_response_len < 16 + NTLMV2_BLOB_MIN_LEN)
		return reject(out, conn, scheme, "NTLMv2 response shorter than its fixed part");
	blob = a.nt_response + 16;
	blob_len = a.nt_response_len - 16;
	if (blob[0] != 1 || blob[1] != 1)
		return reject(out, conn, scheme, "NTLMv2 response has an unknown RespType/HiRespType");

	error = srv->lookup(a.domain, a.user, password, sizeof(password), smtp,
			    sizeof(smtp), srv->payload);
	if (error == ERR_NOTFOUND) {
		error = 0;
		reject(out, conn, scheme, "unknown user");
		goto cleanup;
	}
	if (error < 0) {
		errinfo_set(err, error, "NTLM: user lookup failed for %s", out->login);
		goto cleanup;
	}
	password[sizeof(password) - 1] = '\0';
	smtp[sizeof(smtp) - 1] = '\0';
	if (put_utf16(&pw16, password) < 0 || buf_failed(&pw16)) {
		error = errinfo_set(err, ERR_INVAL, "NTLM: stored password of %s is not valid UTF-8", out->login);
		goto cleanup;
	}
	ntowfv2_raw(ntowf, (const uint8_t *)buf_cstr(&pw16), pw16.len,
		    a.user_upper16, a.user_upper16_len, a.domain16,
		    a.domain16_len);
	sim_ntlm_ntproofstr(proof, ntowf, challenge, blob, blob_len);
	ok = sim_ct_equal(proof, a.nt_response, 16);
	if (!ok) {
		reject(out, conn, scheme, "wrong password (NTProofStr mismatch)");
		goto cleanup;
	}
	if (!smtp[0]) {
		error = errinfo_set(err, ERR_INVAL, "NTLM: lookup gave no SMTP address for %s", out->login);
		goto cleanup;
	}
	conn->state = CONN_AUTHENTICATED;
	snprintf(conn->smtp, sizeof(conn->smtp), "%s", smtp);
	out->outcome = SIM_NTLM_AUTHENTICATED;
	out->http_status = 0;
	out->www_authenticate[0] = '\0';
	snprintf(out->smtp, sizeof(out->smtp), "%s", smtp);
cleanup:
	memset(password, 0, sizeof(password));
	memset(ntowf, 0, sizeof(ntowf));
	if (pw16.ptr)
		memset(pw16.ptr, 0, pw16.asize);
	buf_dispose(&pw16);
	return error;
}

int sim_ntlm_conn_step_parsed(sim_ntlm_result *out, sim_ntlm_conn *conn,
			      const sim_ntlm_server *srv,
			      const sim_httpauth *auth, errinfo *err)
{
	sim_auth_scheme scheme = auth ? auth->scheme : SIM_AUTH_NONE;

	memset(out, 0, sizeof(*out));
	if (scheme != SIM_AUTH_NTLM && scheme != SIM_AUTH_NEGOTIATE)
		return reject(out, conn, SIM_AUTH_NTLM, "no NTLM token in the Authorization header");
	if (scheme == SIM_AUTH_NEGOTIATE && !auth->negotiate_is_ntlm)
		return reject(out, conn, scheme, "Negotiate token is not NTLM (Kerberos/SPNEGO is not supported)");
	if (auth->token_len < 12 || memcmp(auth->token, ntlmssp_sig, 8) != 0)
		return reject(out, conn, scheme, "token is not an NTLMSSP message");
	switch (rd32(auth->token + 8)) {
	case 1:
		return handle_negotiate(out, conn, srv, scheme, auth->token,
					auth->token_len, err);
	case 3:
		return handle_authenticate(out, conn, srv, scheme, auth->token,
					   auth->token_len, err);
	default:
		return reject(out, conn, scheme, "unexpected NTLM message type (expected 1 or 3)");
	}
}

int sim_ntlm_conn_step(sim_ntlm_result *out, sim_ntlm_conn *conn,
		       const sim_ntlm_server *srv, const char *authorization,
		       errinfo *err)
{
	sim_httpauth auth = SIM_HTTPAUTH_INIT;
	errinfo perr = ERRINFO_INIT;
	int error;

	if (sim_httpauth_parse(&auth, authorization, &perr) < 0) {
		sim_auth_scheme scheme = SIM_AUTH_NTLM;

		memset(out, 0, sizeof(*out));
		if (perr.code == ERR_NOMEM)
			return errinfo_set(err, ERR_NOMEM, "%s", perr.msg);
		/* Answer in the scheme the client tried, when readable. */
		if (authorization && strncasecmp(authorization, "Negotiate", 9) == 0)
			scheme = SIM_AUTH_NEGOTIATE;
		return reject(out, conn, scheme, perr.msg);
	}
	error = sim_ntlm_conn_step_parsed(out, conn, srv, &auth, err);
	sim_httpauth_dispose(&auth);
	return error;
}
