// BoringSSL's allocation hooks (OPENSSL_memory_alloc, _free and _get_size in its crypto/mem.cc:
// weak symbols that, when defined, serve every allocation of both BoringSSL copies in the
// process), over a block pool.
//
// Why: scrypt allocates 16 MiB per hash. glibc either keeps such blocks in its heaps after the
// first hash (memory stays high after a burst of sign-ins, and the heaps fragment) or, with a
// fixed mmap threshold, maps and unmaps them every time (each sign-in then faults 16 MiB in
// again: +18-26 % on a sign-in here). The pool keeps two wiped blocks for the next hashes, and
// the server unmaps them once sign-ins have stopped for a while (BackgroundServices).
//
// Rules from mem.cc: the hooks run under BoringSSL's own locks, in initializers and in thread
// destructors, so they call nothing but malloc, free, mmap and munmap, and use only atomics;
// the free hook must wipe what it frees.

#include "crypto_memory.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

// 16 bytes, so that what follows keeps malloc's alignment.
typedef struct {
    size_t size;    // what the caller asked for
    size_t mapped;  // length of the mapping this header starts; 0 when from malloc
} block_header;

enum { kept_slots = 2 };

struct sesame_block_pool {
    _Atomic(void *) kept[kept_slots];
    _Atomic(int64_t) last_large_use_ns;
    atomic_size_t mapped_bytes;  // large blocks in use or kept
    atomic_size_t kept_bytes;
    atomic_size_t large_requests;  // large blocks asked for since the start
};

static int64_t now_ns(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static void wipe(void *p, size_t n) {
    memset(p, 0, n);
    __asm__ __volatile__("" : : "r"(p) : "memory");  // keeps the memset from being optimised away
}

static void unmap(sesame_block_pool *pool, block_header *h) {
    size_t length = h->mapped;
    atomic_fetch_sub(&pool->mapped_bytes, length);
    munmap(h, length);
}

// Once kept, a block belongs to whichever thread takes it next, so its length is read before.
static int keep(sesame_block_pool *pool, block_header *h) {
    size_t length = h->mapped;
    for (int i = 0; i < kept_slots; i++) {
        void *expected = NULL;
        atomic_fetch_add(&pool->kept_bytes, length);
        if (atomic_compare_exchange_strong(&pool->kept[i], &expected, h)) return 1;
        atomic_fetch_sub(&pool->kept_bytes, length);
    }
    return 0;
}

static block_header *take_kept(sesame_block_pool *pool, size_t total) {
    for (int i = 0; i < kept_slots; i++) {
        block_header *h = atomic_exchange(&pool->kept[i], NULL);
        if (h == NULL) continue;
        size_t length = h->mapped;
        atomic_fetch_sub(&pool->kept_bytes, length);
        if (length >= total) return h;
        if (!keep(pool, h)) unmap(pool, h);
    }
    return NULL;
}

enum { huge_page = 2 << 20 };

// A large block asks for huge pages, laid out so that its first small page holds the header and
// the rest of the first 4 KiB, and from there on every whole 2 MiB is one huge page: scrypt reads
// its 16 MiB at random, and with 4 KiB pages nearly every read misses the TLB, and the page walk
// misses the cache too after other processes ran. What is left over at the end stays in small
// pages, so a 16 MiB block does not cost 18.
static block_header *map_large(size_t total) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t length = (total + page - 1) / page * page;
    char *p = mmap(NULL, length + huge_page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    char *start = (char *)(((uintptr_t)p + page + huge_page - 1) / huge_page * huge_page) - page;
    if (start > p) munmap(p, (size_t)(start - p));
    char *end = p + length + huge_page;
    if (start + length < end) munmap(start + length, (size_t)(end - (start + length)));
    madvise(start, length, MADV_HUGEPAGE);
    block_header *h = (block_header *)start;
    h->mapped = length;
    return h;
}

void *sesame_block_pool_alloc(sesame_block_pool *pool, size_t size) {
    if (size > SIZE_MAX / 2) return NULL;
    size_t total = size + sizeof(block_header);
    block_header *h;
    if (size >= sesame_block_pool_large) {
        atomic_fetch_add(&pool->large_requests, 1);
        atomic_store(&pool->last_large_use_ns, now_ns());
        h = take_kept(pool, total);
        if (h == NULL) {
            h = map_large(total);
            if (h == NULL) return NULL;
            atomic_fetch_add(&pool->mapped_bytes, h->mapped);
        }
    } else {
        h = malloc(total);
        if (h == NULL) return NULL;
        h->mapped = 0;
    }
    h->size = size;
    return h + 1;
}

void sesame_block_pool_free(sesame_block_pool *pool, void *ptr) {
    block_header *h = (block_header *)ptr - 1;
    wipe(ptr, h->size);
    if (h->mapped == 0) {
        free(h);
        return;
    }
    atomic_store(&pool->last_large_use_ns, now_ns());
    if (!keep(pool, h)) unmap(pool, h);
}

size_t sesame_block_pool_size(void *ptr) { return ((block_header *)ptr - 1)->size; }

size_t sesame_block_pool_release_idle(sesame_block_pool *pool, double idleSeconds) {
    if ((double)(now_ns() - atomic_load(&pool->last_large_use_ns)) < idleSeconds * 1e9) return 0;
    size_t released = 0;
    for (int i = 0; i < kept_slots; i++) {
        block_header *h = atomic_exchange(&pool->kept[i], NULL);
        if (h == NULL) continue;
        atomic_fetch_sub(&pool->kept_bytes, h->mapped);
        released += h->mapped;
        unmap(pool, h);
    }
    return released;
}

sesame_block_pool *sesame_block_pool_create(void) { return calloc(1, sizeof(sesame_block_pool)); }

void sesame_block_pool_destroy(sesame_block_pool *pool) {
    sesame_block_pool_release_idle(pool, 0);
    free(pool);
}

size_t sesame_block_pool_mapped_bytes(sesame_block_pool *pool) { return atomic_load(&pool->mapped_bytes); }
size_t sesame_block_pool_kept_bytes(sesame_block_pool *pool) { return atomic_load(&pool->kept_bytes); }
size_t sesame_block_pool_large_requests(sesame_block_pool *pool) { return atomic_load(&pool->large_requests); }

static sesame_block_pool crypto_pool;

sesame_block_pool *sesame_crypto_memory(void) { return &crypto_pool; }

void *OPENSSL_memory_alloc(size_t size) { return sesame_block_pool_alloc(&crypto_pool, size); }
void OPENSSL_memory_free(void *ptr) { sesame_block_pool_free(&crypto_pool, ptr); }
size_t OPENSSL_memory_get_size(void *ptr) { return sesame_block_pool_size(ptr); }
