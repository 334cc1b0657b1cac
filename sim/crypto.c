/* crypto.c - MD4, MD5, SHA-256, their HMACs, constant-time comparison and
 * kernel randomness for ews-sim (see crypto.h).
 *
 * Written from the specifications: RFC 1320 (MD4), RFC 1321 (MD5), FIPS
 * 180-4 (SHA-256), RFC 2104 (HMAC). MD4 and MD5 share the Merkle-Damgard
 * framing (64-byte blocks, little-endian bit length); SHA-256 uses the
 * same framing big-endian. Speed is not a goal: the sim hashes a few
 * hundred bytes per login.
 */
#include "sim/crypto.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#define ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
#define ROTR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ------------------------------------------------------------------ */
/* Shared block framing                                                */
/* ------------------------------------------------------------------ */

typedef void (*compress_fn)(uint32_t *state, const uint8_t block[64]);

/* Feeds bytes through a 64-byte block buffer; total counts all bytes so
 * far, which also tells how full the buffer is. */
static void block_update(uint32_t *state, uint8_t *block, uint64_t *total,
			 const void *data, size_t len, compress_fn compress)
{
	const uint8_t *p = data;
	size_t used = (size_t)(*total % 64);

	*total += len;
	if (used) {
		size_t take = 64 - used < len ? 64 - used : len;

		memcpy(block + used, p, take);
		p += take;
		len -= take;
		if (used + take < 64)
			return;
		compress(state, block);
	}
	while (len >= 64) {
		compress(state, p);
		p += 64;
		len -= 64;
	}
	if (len)
		memcpy(block, p, len);
}

/* Pads with 0x80, zeros and the 64-bit bit length (RFC 1321 §3.1-3.2,
 * FIPS 180-4 §5.1.1), little- or big-endian. */
static void block_final(uint32_t *state, uint8_t *block, uint64_t total,
			compress_fn compress, int big_endian)
{
	size_t used = (size_t)(total % 64);
	uint64_t bits = total * 8;
	int i;

	block[used++] = 0x80;
	if (used > 56) {
		memset(block + used, 0, 64 - used);
		compress(state, block);
		used = 0;
	}
	memset(block + used, 0, 56 - used);
	for (i = 0; i < 8; i++)
		block[56 + i] = (uint8_t)(big_endian ? bits >> (56 - 8 * i)
						     : bits >> (8 * i));
	compress(state, block);
}

/* ------------------------------------------------------------------ */
/* MD4 (RFC 1320)                                                      */
/* ------------------------------------------------------------------ */

static void md4_compress(uint32_t *st, const uint8_t block[64])
{
	static const int r2[16] = { 0, 4, 8, 12, 1, 5, 9, 13,
				    2, 6, 10, 14, 3, 7, 11, 15 };
	static const int r3[16] = { 0, 8, 4, 12, 2, 10, 6, 14,
				    1, 9, 5, 13, 3, 11, 7, 15 };
	static const int s1[4] = { 3, 7, 11, 19 };
	static const int s2[4] = { 3, 5, 9, 13 };
	static const int s3[4] = { 3, 9, 11, 15 };
	uint32_t x[16], v[4], t;
	int i;

	for (i = 0; i < 16; i++)
		x[i] = load_le32(block + 4 * i);
	memcpy(v, st, sizeof(v));
	/* Each step updates one of a,b,c,d in turn: a, d, c, b. The word
	 * being updated is v[(4 - i % 4) % 4], the other three follow it. */
	for (i = 0; i < 48; i++) {
		int a = (4 - i % 4) % 4, b = (a + 1) % 4, c = (a + 2) % 4,
		    d = (a + 3) % 4;

		if (i < 16) {
			t = v[a] + ((v[b] & v[c]) | (~v[b] & v[d])) + x[i];
			v[a] = ROTL(t, s1[i % 4]);
		} else if (i < 32) {
			t = v[a] +
			    ((v[b] & v[c]) | (v[b] & v[d]) | (v[c] & v[d])) +
			    x[r2[i - 16]] + 0x5a827999u;
			v[a] = ROTL(t, s2[i % 4]);
		} else {
			t = v[a] + (v[b] ^ v[c] ^ v[d]) + x[r3[i - 32]] +
			    0x6ed9eba1u;
			v[a] = ROTL(t, s3[i % 4]);
		}
	}
	for (i = 0; i < 4; i++)
		st[i] += v[i];
}

static const uint32_t md_init[4] = { 0x67452301u, 0xefcdab89u, 0x98badcfeu,
				     0x10325476u };

void sim_md4(uint8_t out[SIM_MD4_LEN], const void *data, size_t len)
{
	sim_md5_ctx ctx; /* same framing state as MD5 */
	int i;

	memcpy(ctx.state, md_init, sizeof(md_init));
	ctx.total = 0;
	block_update(ctx.state, ctx.block, &ctx.total, data, len,
		     md4_compress);
	block_final(ctx.state, ctx.block, ctx.total, md4_compress, 0);
	for (i = 0; i < 4; i++)
		store_le32(out + 4 * i, ctx.state[i]);
	memset(&ctx, 0, sizeof(ctx));
}

/* ------------------------------------------------------------------ */
/* MD5 (RFC 1321)                                                      */
/* ------------------------------------------------------------------ */

/* T[i] = floor(2^32 * |sin(i + 1)|) (RFC 1321 §3.4). */
static const uint32_t md5_t[64] = {
	0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee,
	0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
	0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be,
	0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
	0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
	0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
	0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
	0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
	0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c,
	0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
	0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05,
	0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
	0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039,
	0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
	0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
	0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

static const int md5_s[4][4] = {
	{ 7, 12, 17, 22 }, { 5, 9, 14, 20 }, { 4, 11, 16, 23 }, { 6, 10, 15, 21 }
};

static void md5_compress(uint32_t *st, const uint8_t block[64])
{
	uint32_t x[16], a = st[0], b = st[1], c = st[2], d = st[3], f, t;
	int i, k, round;

	for (i = 0; i < 16; i++)
		x[i] = load_le32(block + 4 * i);
	for (i = 0; i < 64; i++) {
		round = i / 16;
		switch (round) {
		case 0:
			f = (b & c) | (~b & d);
			k = i;
			break;
		case 1:
			f = (b & d) | (c & ~d);
			k = (5 * i + 1) % 16;
			break;
		case 2:
			f = b ^ c ^ d;
			k = (3 * i + 5) % 16;
			break;
		default:
			f = c ^ (b | ~d);
			k = (7 * i) % 16;
			break;
		}
		t = a + f + x[k] + md5_t[i];
		a = d;
		d = c;
		c = b;
		b = b + ROTL(t, md5_s[round][i % 4]);
	}
	st[0] += a;
	st[1] += b;
	st[2] += c;
	st[3] += d;
}

void sim_md5_init(sim_md5_ctx *ctx)
{
	memcpy(ctx->state, md_init, sizeof(md_init));
	ctx->total = 0;
}

void sim_md5_update(sim_md5_ctx *ctx, const void *data, size_t len)
{
	block_update(ctx->state, ctx->block, &ctx->total, data, len,
		     md5_compress);
}

void sim_md5_final(uint8_t out[SIM_MD5_LEN], sim_md5_ctx *ctx)
{
	int i;

	block_final(ctx->state, ctx->block, ctx->total, md5_compress, 0);
	for (i = 0; i < 4; i++)
		store_le32(out + 4 * i, ctx->state[i]);
	memset(ctx, 0, sizeof(*ctx));
}

void sim_md5(uint8_t out[SIM_MD5_LEN], const void *data, size_t len)
{
	sim_md5_ctx ctx;

	sim_md5_init(&ctx);
	sim_md5_update(&ctx, data, len);
	sim_md5_final(out, &ctx);
}

/* ------------------------------------------------------------------ */
/* SHA-256 (FIPS 180-4 §6.2)                                           */
/* ------------------------------------------------------------------ */

/* First 32 bits of the fractional parts of the cube roots of the first
 * 64 primes (FIPS 180-4 §4.2.2). */
static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void sha256_compress(uint32_t *st, const uint8_t block[64])
{
	uint32_t w[64], v[8], t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = load_be32(block + 4 * i);
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ROTR(w[i - 15], 7) ^ ROTR(w[i - 15], 18) ^
			      (w[i - 15] >> 3);
		uint32_t s1 = ROTR(w[i - 2], 17) ^ ROTR(w[i - 2], 19) ^
			      (w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	memcpy(v, st, sizeof(v));
	for (i = 0; i < 64; i++) {
		uint32_t e = v[4], a = v[0];

		t1 = v[7] + (ROTR(e, 6) ^ ROTR(e, 11) ^ ROTR(e, 25)) +
		     ((e & v[5]) ^ (~e & v[6])) + sha256_k[i] + w[i];
		t2 = (ROTR(a, 2) ^ ROTR(a, 13) ^ ROTR(a, 22)) +
		     ((a & v[1]) ^ (a & v[2]) ^ (v[1] & v[2]));
		memmove(v + 1, v, 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		st[i] += v[i];
}

void sim_sha256_init(sim_sha256_ctx *ctx)
{
	static const uint32_t h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372,
					0xa54ff53a, 0x510e527f, 0x9b05688c,
					0x1f83d9ab, 0x5be0cd19 };

	memcpy(ctx->state, h0, sizeof(h0));
	ctx->total = 0;
}

void sim_sha256_update(sim_sha256_ctx *ctx, const void *data, size_t len)
{
	block_update(ctx->state, ctx->block, &ctx->total, data, len,
		     sha256_compress);
}

void sim_sha256_final(uint8_t out[SIM_SHA256_LEN], sim_sha256_ctx *ctx)
{
	int i;

	block_final(ctx->state, ctx->block, ctx->total, sha256_compress, 1);
	for (i = 0; i < 8; i++)
		store_be32(out + 4 * i, ctx->state[i]);
	memset(ctx, 0, sizeof(*ctx));
}

void sim_sha256(uint8_t out[SIM_SHA256_LEN], const void *data, size_t len)
{
	sim_sha256_ctx ctx;

	sim_sha256_init(&ctx);
	sim_sha256_update(&ctx, data, len);
	sim_sha256_final(out, &ctx);
}

/* ------------------------------------------------------------------ */
/* HMAC (RFC 2104): H((K ^ opad) || H((K ^ ipad) || text))             */
/* ------------------------------------------------------------------ */

/* Writes the 64-byte block key (hashed first when longer than a block)
 * XORed with pad into out. */
static void hmac_pad(uint8_t out[64], const void *key, size_t keylen,
		     uint8_t pad, int sha256)
{
	uint8_t k[64] = { 0 };
	int i;

	if (keylen > 64) {
		if (sha256)
			sim_sha256(k, key, keylen);
		else
			sim_md5(k, key, keylen);
	} else if (keylen) {
		memcpy(k, key, keylen);
	}
	for (i = 0; i < 64; i++)
		out[i] = k[i] ^ pad;
	memset(k, 0, sizeof(k));
}

void sim_hmac_md5_init(sim_hmac_md5_ctx *ctx, const void *key, size_t keylen)
{
	uint8_t pad[64];

	sim_md5_init(&ctx->inner);
	hmac_pad(pad, key, keylen, 0x36, 0);
	sim_md5_update(&ctx->inner, pad, sizeof(pad));
	sim_md5_init(&ctx->outer);
	hmac_pad(pad, key, keylen, 0x5c, 0);
	sim_md5_update(&ctx->outer, pad, sizeof(pad));
	memset(pad, 0, sizeof(pad));
}

void sim_hmac_md5_update(sim_hmac_md5_ctx *ctx, const void *data, size_t len)
{
	sim_md5_update(&ctx->inner, data, len);
}

void sim_hmac_md5_final(uint8_t out[SIM_MD5_LEN], sim_hmac_md5_ctx *ctx)
{
	uint8_t inner[SIM_MD5_LEN];

	sim_md5_final(inner, &ctx->inner);
	sim_md5_update(&ctx->outer, inner, sizeof(inner));
	sim_md5_final(out, &ctx->outer);
	memset(inner, 0, sizeof(inner));
}

void sim_hmac_md5(uint8_t out[SIM_MD5_LEN], const void *key, size_t keylen,
		  const void *data, size_t len)
{
	sim_hmac_md5_ctx ctx;

	sim_hmac_md5_init(&ctx, key, keylen);
	sim_hmac_md5_update(&ctx, data, len);
	sim_hmac_md5_final(out, &ctx);
}

void sim_hmac_sha256_init(sim_hmac_sha256_ctx *ctx, const void *key,
			  size_t keylen)
{
	uint8_t pad[64];

	sim_sha256_init(&ctx->inner);
	hmac_pad(pad, key, keylen, 0x36, 1);
	sim_sha256_update(&ctx->inner, pad, sizeof(pad));
	sim_sha256_init(&ctx->outer);
	hmac_pad(pad, key, keylen, 0x5c, 1);
	sim_sha256_update(&ctx->outer, pad, sizeof(pad));
	memset(pad, 0, sizeof(pad));
}

void sim_hmac_sha256_update(sim_hmac_sha256_ctx *ctx, const void *data,
			    size_t len)
{
	sim_sha256_update(&ctx->inner, data, len);
}

void sim_hmac_sha256_final(uint8_t out[SIM_SHA256_LEN],
			   sim_hmac_sha256_ctx *ctx)
{
	uint8_t inner[SIM_SHA256_LEN];

	sim_sha256_final(inner, &ctx->inner);
	sim_sha256_update(&ctx->outer, inner, sizeof(inner));
	sim_sha256_final(out, &ctx->outer);
	memset(inner, 0, sizeof(inner));
}

void sim_hmac_sha256(uint8_t out[SIM_SHA256_LEN], const void *key,
		     size_t keylen, const void *data, size_t len)
{
	sim_hmac_sha256_ctx ctx;

	sim_hmac_sha256_init(&ctx, key, keylen);
	sim_hmac_sha256_update(&ctx, data, len);
	sim_hmac_sha256_final(out, &ctx);
}

/* ------------------------------------------------------------------ */
/* Comparison and randomness                                           */
/* ------------------------------------------------------------------ */

int sim_ct_equal(const void *a, const void *b, size_t len)
{
	const volatile uint8_t *x = a, *y = b;
	uint8_t diff = 0;
	size_t i;

	for (i = 0; i < len; i++)
		diff |= x[i] ^ y[i];
	return diff == 0;
}

/* Compares SHA-256 hashes of both strings: the comparison then runs over a
 * fixed 32 bytes whatever the lengths, and where the strings differ never
 * shows in the timing (only how many 64-byte blocks each one has). */
int sim_ct_streq(const char *given, const char *stored)
{
	uint8_t hg[SIM_SHA256_LEN], hs[SIM_SHA256_LEN];
	int eq;

	if (!given || !stored)
		return 0;
	sim_sha256(hg, given, strlen(given));
	sim_sha256(hs, stored, strlen(stored));
	eq = sim_ct_equal(hg, hs, sizeof(hg));
	memset(hg, 0, sizeof(hg));
	memset(hs, 0, sizeof(hs));
	return eq;
}

int sim_random_bytes(void *out, size_t len, errinfo *err)
{
	uint8_t *p = out;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return errinfo_set(err, ERR_IO,
					   "getrandom failed: %s",
					   strerror(errno));
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
