#ifndef SESAME_CRYPTO_MEMORY_H
#define SESAME_CRYPTO_MEMORY_H

#include <stddef.h>

/// Large blocks (1 MiB and more) mapped for their caller and, once freed and wiped, kept (two
/// at most) for the next caller instead of being faulted in again; smaller blocks come from
/// malloc. BoringSSL's allocations go through one such pool (`sesame_crypto_memory`), so that a
/// scrypt hash's 16 MiB is reused from one sign-in to the next.
typedef struct sesame_block_pool sesame_block_pool;

enum { sesame_block_pool_large = 1 << 20 };

sesame_block_pool *sesame_block_pool_create(void);  // for tests; NULL without memory
void sesame_block_pool_destroy(sesame_block_pool *pool);  // unmaps what it keeps

void *sesame_block_pool_alloc(sesame_block_pool *pool, size_t size);
void sesame_block_pool_free(sesame_block_pool *pool, void *ptr);  // wipes the block
size_t sesame_block_pool_size(void *ptr);

/// Unmaps the kept blocks when no large block was taken or freed for `idleSeconds`; returns
/// the bytes unmapped.
size_t sesame_block_pool_release_idle(sesame_block_pool *pool, double idleSeconds);

/// Large blocks mapped now (in use or kept), and of those the ones kept.
size_t sesame_block_pool_mapped_bytes(sesame_block_pool *pool);
size_t sesame_block_pool_kept_bytes(sesame_block_pool *pool);
/// Large blocks asked for since the pool was made.
size_t sesame_block_pool_large_requests(sesame_block_pool *pool);

/// The pool behind BoringSSL's allocation hooks.
sesame_block_pool *sesame_crypto_memory(void);

#endif
