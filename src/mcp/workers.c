/* workers.c - fixed thread pool with a bounded FIFO queue (see workers.h). */
#include "mcp/workers.h"

#include <pthread.h>
#include <stdlib.h>

typedef struct job {
	mcp_job_fn fn;
	void *arg;
	struct job *next;
} job;

struct mcp_workers {
	pthread_mutex_t lock;
	pthread_cond_t wake;
	job *head, *tail;
	size_t queued, max_queued;
	pthread_t *threads;
	size_t nthreads;
	int stopping;
};

static void *worker_main(void *arg)
{
	mcp_workers *pool = arg;
	job *j;

	for (;;) {
		pthread_mutex_lock(&pool->lock);
		while (!pool->head && !pool->stopping)
			pthread_cond_wait(&pool->wake, &pool->lock);
		j = pool->head;
		if (!j) { /* stopping and drained */
			pthread_mutex_unlock(&pool->lock);
			return NULL;
		}
		pool->head = j->next;
		if (!pool->head)
			pool->tail = NULL;
		pool->queued--;
		pthread_mutex_unlock(&pool->lock);
		j->fn(j->arg);
		free(j);
	}
}

int mcp_workers_new(mcp_workers **out, size_t threads, size_t max_queued)
{
	mcp_workers *pool;
	size_t i;

	*out = NULL;
	pool = calloc(1, sizeof(*pool));
	if (!pool)
		return -1;
	pool->threads = calloc(threads ? threads : 1, sizeof(pthread_t));
	if (!pool->threads) {
		free(pool);
		return -1;
	}
	pthread_mutex_init(&pool->lock, NULL);
	pthread_cond_init(&pool->wake, NULL);
	pool->max_queued = max_queued ? max_queued : 64;
	for (i = 0; i < (threads ? threads : 1); i++) {
		if (pthread_create(&pool->threads[i], NULL, worker_main, pool) != 0)
			break;
		pool->nthreads++;
	}
	if (!pool->nthreads) {
		mcp_workers_free(pool);
		return -1;
	}
	*out = pool;
	return 0;
}

int mcp_workers_submit(mcp_workers *pool, mcp_job_fn fn, void *arg)
{
	job *j = malloc(sizeof(*j));

	if (!j)
		return -1;
	j->fn = fn;
	j->arg = arg;
	j->next = NULL;
	pthread_mutex_lock(&pool->lock);
	if (pool->stopping || pool->queued >= pool->max_queued) {
		pthread_mutex_unlock(&pool->lock);
		free(j);
		return -1;
	}
	if (pool->tail)
		pool->tail->next = j;
	else
		pool->head = j;
	pool->tail = j;
	pool->queued++;
	pthread_cond_signal(&pool->wake);
	pthread_mutex_unlock(&pool->lock);
	return 0;
}

void mcp_workers_free(mcp_workers *pool)
{
	size_t i;

	if (!pool)
		return;
	pthread_mutex_lock(&pool->lock);
	pool->stopping = 1;
	pthread_cond_broadcast(&pool->wake);
	pthread_mutex_unlock(&pool->lock);
	for (i = 0; i < pool->nthreads; i++)
		pthread_join(pool->threads[i], NULL);
	pthread_mutex_destroy(&pool->lock);
	pthread_cond_destroy(&pool->wake);
	free(pool->threads);
	free(pool);
}
