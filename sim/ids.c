/* ids.c - encoding and decoding of ids and change keys (see ids.h). */
#include "sim/ids.h"

#include <string.h>

#include "core/b64.h"

/* 00 03 24 encodes as "AAMk", the prefix of Exchange mailbox ids. */
static const uint8_t prefix[3] = { 0x00, 0x03, 0x24 };
#define ID_BYTES 17
#define CK_BYTES 12

static uint8_t check_byte(const uint8_t *p, size_t n)
{
	uint8_t c = 0xA5;
	size_t i;

	for (i = 0; i < n; i++)
		c = (uint8_t)((c << 1 | c >> 7) ^ p[i]);
	return c;
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--) {
		p[i] = (uint8_t)(v & 0xFF);
		v >>= 8;
	}
}

static uint64_t get_be(const uint8_t *p, int n)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static void encode_bytes(char out[SIM_ID_MAX], const uint8_t *raw, size_t n)
{
	buf b = BUF_INIT(SIM_ID_MAX - 1);

	out[0] = '\0';
	if (b64_encode(&b, raw, n, NULL) == 0 && !buf_failed(&b))
		memcpy(out, buf_cstr(&b), b.len + 1);
	buf_dispose(&b);
}

/* Decodes text into raw (exactly n bytes expected); 0 or -1. */
static int decode_bytes(uint8_t *raw, size_t n, const char *text)
{
	buf b = BUF_INIT(64);
	int ok;

	if (!text || strlen(text) > SIM_ID_MAX)
		return -1;
	ok = b64_decode(&b, text, strlen(text), B64_STRICT, NULL) == 0 &&
	     !buf_failed(&b) && b.len == n;
	if (ok)
		memcpy(raw, b.ptr, n);
	buf_dispose(&b);
	return ok ? 0 : -1;
}

void sim_id_encode(char out[SIM_ID_MAX], sim_id_kind kind, int mailbox,
		   int64_t row)
{
	uint8_t raw[ID_BYTES];

	memcpy(raw, prefix, 3);
	raw[3] = (uint8_t)kind;
	put_be(raw + 4, (uint32_t)mailbox, 4);
	put_be(raw + 8, (uint64_t)row, 8);
	raw[16] = check_byte(raw, 16);
	encode_bytes(out, raw, sizeof(raw));
}

int sim_id_decode(sim_id *out, const char *text)
{
	uint8_t raw[ID_BYTES];

	if (decode_bytes(raw, sizeof(raw), text) < 0 ||
	    memcmp(raw, prefix, 3) != 0 || raw[16] != check_byte(raw, 16) ||
	    raw[3] < SIM_ID_ITEM || raw[3] > SIM_ID_ATTACHMENT)
		return -1;
	out->kind = (sim_id_kind)raw[3];
	out->mailbox = (int)get_be(raw + 4, 4);
	out->row = (int64_t)get_be(raw + 8, 8);
	if (out->mailbox <= 0 || out->row <= 0)
		return -1;
	return 0;
}

void sim_ck_encode(char out[SIM_ID_MAX], int64_t version)
{
	uint8_t raw[CK_BYTES] = { 0x09, 0x00, 0x00, 0x00 };

	put_be(raw + 4, (uint64_t)version, 8);
	encode_bytes(out, raw, sizeof(raw));
}

int sim_ck_decode(int64_t *version, const char *text)
{
	uint8_t raw[CK_BYTES];

	if (decode_bytes(raw, sizeof(raw), text) < 0 || raw[0] != 0x09)
		return -1;
	*version = (int64_t)get_be(raw + 4, 8);
	return 0;
}
