/* crypto.h - the hash and MAC primitives ews-sim needs for NTLM and OAuth,
 * written here so the sim depends on no crypto library.
 *
 * MD4 (RFC 1320) and MD5 (RFC 1321) exist only because NTLMv2 is defined on
 * them (NTOWFv2 = HMAC-MD5 keyed by MD4 of the password); they are broken
 * as general-purpose hashes and nothing else in the project should use
 * them. SHA-256 (FIPS 180-4) and HMAC-SHA256 are for everything else
 * (token fingerprints). Random bytes come from the kernel (getrandom(2)).
 *
 * All functions are pure and thread-safe; contexts are plain structs the
 * caller keeps on the stack.
 */
#ifndef INCLUDE_sim_crypto_h__
#define INCLUDE_sim_crypto_h__

#include <stddef.h>
#include <stdint.h>

#include "core/errinfo.h"

#define SIM_MD4_LEN 16
#define SIM_MD5_LEN 16
#define SIM_SHA256_LEN 32

/** Incremental MD5 state (init, update any number of times, final). */
typedef struct sim_md5_ctx {
	uint32_t state[4];
	uint64_t total;          /* bytes hashed so far */
	uint8_t block[64];       /* pending partial block */
} sim_md5_ctx;

/** Incremental SHA-256 state. */
typedef struct sim_sha256_ctx {
	uint32_t state[8];
	uint64_t total;
	uint8_t block[64];
} sim_sha256_ctx;

/** Incremental HMAC-MD5 (RFC 2104): inner and outer hash states. */
typedef struct sim_hmac_md5_ctx {
	sim_md5_ctx inner;
	sim_md5_ctx outer;
} sim_hmac_md5_ctx;

/** Incremental HMAC-SHA256. */
typedef struct sim_hmac_sha256_ctx {
	sim_sha256_ctx inner;
	sim_sha256_ctx outer;
} sim_hmac_sha256_ctx;

/** One-shot digests: out receives the digest of len bytes at data. */
void sim_md4(uint8_t out[SIM_MD4_LEN], const void *data, size_t len);
void sim_md5(uint8_t out[SIM_MD5_LEN], const void *data, size_t len);
void sim_sha256(uint8_t out[SIM_SHA256_LEN], const void *data, size_t len);

void sim_md5_init(sim_md5_ctx *ctx);
void sim_md5_update(sim_md5_ctx *ctx, const void *data, size_t len);
/** Writes the digest; the context must be initialised again before reuse. */
void sim_md5_final(uint8_t out[SIM_MD5_LEN], sim_md5_ctx *ctx);

void sim_sha256_init(sim_sha256_ctx *ctx);
void sim_sha256_update(sim_sha256_ctx *ctx, const void *data, size_t len);
void sim_sha256_final(uint8_t out[SIM_SHA256_LEN], sim_sha256_ctx *ctx);

/** HMAC with any key length (keys longer than the block are hashed first). */
void sim_hmac_md5_init(sim_hmac_md5_ctx *ctx, const void *key, size_t keylen);
void sim_hmac_md5_update(sim_hmac_md5_ctx *ctx, const void *data, size_t len);
void sim_hmac_md5_final(uint8_t out[SIM_MD5_LEN], sim_hmac_md5_ctx *ctx);
void sim_hmac_md5(uint8_t out[SIM_MD5_LEN], const void *key, size_t keylen,
		  const void *data, size_t len);

void sim_hmac_sha256_init(sim_hmac_sha256_ctx *ctx, const void *key,
			  size_t keylen);
void sim_hmac_sha256_update(sim_hmac_sha256_ctx *ctx, const void *data,
			    size_t len);
void sim_hmac_sha256_final(uint8_t out[SIM_SHA256_LEN],
			   sim_hmac_sha256_ctx *ctx);
void sim_hmac_sha256(uint8_t out[SIM_SHA256_LEN], const void *key,
		     size_t keylen, const void *data, size_t len);

/**
 * Compares len bytes in time that depends only on len, not on where the
 * first difference is, so a remote caller cannot learn a secret byte by
 * byte from response times. Returns 1 when equal, 0 otherwise.
 */
int sim_ct_equal(const void *a, const void *b, size_t len);

/**
 * Like sim_ct_equal for two NUL-terminated secrets of possibly different
 * lengths: the time never depends on where they differ (both are hashed
 * and the digests compared). 1 when equal, 0 otherwise (or either NULL).
 */
int sim_ct_streq(const char *given, const char *stored);

/**
 * Fills out with len bytes from the kernel CSPRNG (getrandom(2), retried
 * on EINTR and short reads). 0, or ERR_IO with err naming the errno.
 */
int sim_random_bytes(void *out, size_t len, errinfo *err);

#endif
