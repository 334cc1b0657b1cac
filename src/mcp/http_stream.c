/* http_stream.c - SSE streams of the HTTP transport (see http_int.h).
 *
 * A stream is the ordered list of messages the server sends for one POST
 * (or on the standalone GET stream, or to a legacy client). Tool workers
 * append through the stream's sink; one reader at a time writes them to
 * the client as SSE events "id: <stream>-<seq>" (MCP 2025-11-25,
 * "Resumability and Redelivery": ids are unique within the session and
 * name the stream, so a GET with Last-Event-ID resumes exactly that stream
 * and never replays another's). The newest max_events events are kept for
 * such a resumption. A reader runs on its connection's own thread (MHD
 * thread-per-connection), so it blocks in short slices: each slice checks
 * the socket for a departed client and sends keep-alive comments, which
 * proxies need to keep an idle stream open.
 */
#include "mcp/http_int.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/log.h"

#define SLICE_MS 100

static void now_mono(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static long ms_since(const struct timespec *t)
{
	struct timespec n;

	now_mono(&n);
	return (long)((n.tv_sec - t->tv_sec) * 1000 + (n.tv_nsec - t->tv_nsec) / 1000000);
}

/* Waits on the stream's condition for at most SLICE_MS (lock held). */
static void wait_slice(http_stream *st)
{
	struct timespec ts;

	now_mono(&ts);
	ts.tv_nsec += SLICE_MS * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&st->changed, &st->lock, &ts);
}

http_stream *http_stream_new(unsigned long no, size_t max_events, int persistent)
{
	http_stream *st = calloc(1, sizeof(*st));
	pthread_condattr_t ca;

	if (!st)
		return NULL;
	pthread_mutex_init(&st->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&st->changed, &ca);
	pthread_condattr_destroy(&ca);
	atomic_init(&st->refs, 1);
	st->no = no;
	st->max_events = max_events ? max_events : 1;
	st->next_seq = 1;
	st->persistent = persistent;
	st->ids = 1;
	st->pending = json_array();
	st->cancelled = json_array();
	now_mono(&st->detached);
	if (!st->pending || !st->cancelled) {
		http_stream_unref(st);
		return NULL;
	}
	return st;
}

void http_stream_ref(http_stream *st)
{
	atomic_fetch_add(&st->refs, 1);
}

void http_stream_unref(http_stream *st)
{
	http_event *e;

	if (!st || atomic_fetch_sub(&st->refs, 1) != 1)
		return;
	while ((e = st->head)) {
		st->head = e->next;
		free(e->data);
		free(e);
	}
	json_decref(st->pending);
	json_decref(st->cancelled);
	pthread_mutex_destroy(&st->lock);
	pthread_cond_destroy(&st->changed);
	free(st);
}

/* Index of id in arr, or -1. */
static long id_index(const json_t *arr, const json_t *id)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v)
		if (json_equal(v, id))
			return (long)i;
	return -1;
}

/* Appends an event (lock held); drops the oldest when over the bound. The
 * buffer is what a reconnecting client can still get, so an undelivered
 * event dropped here is logged: that client will miss it. */
static int append_event(http_stream *st, const char *type, char *data)
{
	http_event *e = calloc(1, sizeof(*e));

	if (!e) {
		free(data);
		return -1;
	}
	e->seq = st->next_seq++;
	e->data = data;
	e->type = type;
	if (st->tail)
		st->tail->next = e;
	else
		st->head = e;
	st->tail = e;
	st->nevents++;
	while (st->nevents > st->max_events && st->head != st->tail) {
		http_event *old = st->head;

		if (old->seq > st->delivered)
			log_warning("HTTP", "stream %lu: replay buffer full, an undelivered "
				    "message was dropped", st->no);
		st->head = old->next;
		free(old->data);
		free(old);
		st->nevents--;
	}
	pthread_cond_broadcast(&st->changed);
	return 0;
}

static int stream_send(void *ctx, const json_t *msg)
{
	http_stream *st = ctx;
	const json_t *id = json_object_get(msg, "id");
	int is_response = !json_object_get(msg, "method") &&
			  (json_object_get(msg, "result") || json_object_get(msg, "error"));
	char *text = json_dumps(msg, JSON_COMPACT);
	long i;
	int rc;

	if (!text)
		return -1;
	pthread_mutex_lock(&st->lock);
	if (st->closed) {
		pthread_mutex_unlock(&st->lock);
		free(text);
		return -1;
	}
	if (is_response && id && (i = id_index(st->pending, id)) >= 0)
		json_array_remove(st->pending, (size_t)i);
	else if (!is_response)
		st->other = 1;
	rc = append_event(st, st->legacy ? "message" : NULL, text);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* A response already serialised (a tool result): queued like stream_send
 * queues a response, without serialising it again. */
static int stream_send_text(void *ctx, const json_t *id, const char *text, size_t len)
{
	http_stream *st = ctx;
	char *copy = malloc(len + 1);
	long i;
	int rc;

	if (!copy)
		return -1;
	memcpy(copy, text, len);
	copy[len] = '\0';
	pthread_mutex_lock(&st->lock);
	if (st->closed) {
		pthread_mutex_unlock(&st->lock);
		free(copy);
		return -1;
	}
	if (id && (i = id_index(st->pending, id)) >= 0)
		json_array_remove(st->pending, (size_t)i);
	rc = append_event(st, st->legacy ? "message" : NULL, copy);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

/* A request of this stream was cancelled: it will not be answered, so the
 * stream stops waiting for it. */
static void stream_unanswered(void *ctx, const json_t *id)
{
	http_stream *st = ctx;
	long i;

	pthread_mutex_lock(&st->lock);
	if (id && (i = id_index(st->pending, id)) >= 0) {
		json_array_remove(st->pending, (size_t)i);
		pthread_cond_broadcast(&st->changed);
	}
	pthread_mutex_unlock(&st->lock);
}

mcp_sink http_stream_sink(http_stream *st)
{
	mcp_sink s = { stream_send, st, stream_unanswered, stream_send_text };

	return s;
}

int http_stream_push_raw(http_stream *st, const char *type, const char *data)
{
	char *copy = strdup(data);
	int rc;

	if (!copy)
		return -1;
	pthread_mutex_lock(&st->lock);
	rc = append_event(st, type, copy);
	pthread_mutex_unlock(&st->lock);
	return rc;
}

void http_stream_expect(http_stream *st, const json_t *id)
{
	pthread_mutex_lock(&st->lock);
	json_array_append_new(st->pending, json_deep_copy(id));
	pthread_mutex_unlock(&st->lock);
}

void http_stream_close(http_stream *st)
{
	pthread_mutex_lock(&st->lock);
	st->closed = 1;
	pthread_cond_broadcast(&st->changed);
	pthread_mutex_unlock(&st->lock);
}

int http_peer_gone(int fd)
{
	struct pollfd p = { fd, POLLIN, 0 };
	char c;
	ssize_t n;

	if (fd < 0 || poll(&p, 1, 0) <= 0)
		return 0;
	if (p.revents & (POLLHUP | POLLERR | POLLNVAL))
		return 1;
	if (!(p.revents & POLLIN))
		return 0;
	/* Readable: either the next pipelined request or end of stream. */
	n = recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT);
	return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

int http_stream_wait(http_stream *st, int fd, long wait_ms, const atomic_int *stop)
{
	struct timespec start;
	int result = -1;

	now_mono(&start);
	pthread_mutex_lock(&st->lock);
	for (;;) {
		if (st->other) {
			result = HTTP_WAIT_SSE;
		} else if (json_array_size(st->pending) == 0) {
			result = HTTP_WAIT_JSON;
		} else if (st->closed || atomic_load(stop)) {
			result = HTTP_WAIT_STOP;
		} else if (wait_ms >= 0 && ms_since(&start) >= wait_ms) {
			result = HTTP_WAIT_SSE;
		}
		if (result >= 0)
			break;
		wait_slice(st);
		if (json_array_size(st->pending) && !st->other && http_peer_gone(fd)) {
			result = HTTP_WAIT_GONE;
			break;
		}
	}
	pthread_mutex_unlock(&st->lock);
	return result;
}

char *http_stream_json_body(http_stream *st, int batch)
{
	buf b = BUF_INIT(SIZE_MAX / 2);
	http_event *e;

	pthread_mutex_lock(&st->lock);
	if (batch)
		buf_putc(&b, '[');
	for (e = st->head; e; e = e->next) {
		if (batch && e != st->head)
			buf_putc(&b, ',');
		buf_puts(&b, e->data);
		st->delivered = e->seq;
		if (!batch)
			break;
	}
	if (batch)
		buf_putc(&b, ']');
	pthread_mutex_unlock(&st->lock);
	return buf_detach(&b);
}

void http_stream_cancel_pending(http_stream *st, mcp_session *mcp)
{
	json_t *ids;
	size_t i;
	json_t *id;

	pthread_mutex_lock(&st->lock);
	ids = st->pending;
	st->pending = json_array();
	json_array_extend(st->cancelled, ids);
	pthread_cond_broadcast(&st->changed);
	pthread_mutex_unlock(&st->lock);
	json_array_foreach(ids, i, id) {
		char *t = json_dumps(id, JSON_ENCODE_ANY);

		log_info("HTTP", "the client left during request %s: cancelling it", t ? t : "?");
		free(t);
		mcp_session_cancel_request(mcp, id);
	}
	json_decref(ids);
}

int http_stream_reapable(http_stream *st, mcp_session *mcp, long grace_ms)
{
	size_t i;
	int cancel = 0, ok = 0;

	pthread_mutex_lock(&st->lock);
	if (!st->attached) {
		long gone = ms_since(&st->detached);

		if (json_array_size(st->pending))
			cancel = gone >= grace_ms;
		/* Calls we cancelled may still use the sink until they return. */
		for (i = 0; i < json_array_size(st->cancelled);)
			if (!mcp_session_request_active(mcp, json_array_get(st->cancelled, i)))
				json_array_remove(st->cancelled, i);
			else
				i++;
		ok = !json_array_size(st->pending) && !json_array_size(st->cancelled) &&
		     (st->delivered + 1 >= st->next_seq || gone >= grace_ms || st->closed);
	}
	pthread_mutex_unlock(&st->lock);
	if (cancel)
		http_stream_cancel_pending(st, mcp);
	return ok;
}

int http_event_id_parse(const char *text, unsigned long *no, uint64_t *seq)
{
	char *end;
	unsigned long long s;

	if (!text || !*text)
		return -1;
	errno = 0;
	*no = strtoul(text, &end, 10);
	if (errno || end == text || *end != '-')
		return -1;
	text = end + 1;
	s = strtoull(text, &end, 10);
	if (errno || end == text || *end)
		return -1;
	*seq = (uint64_t)s;
	return 0;
}

/* ---- the SSE reader ------------------------------------------------------- */

typedef struct sse_reader {
	http_stream *st;
	http_sess *sess;
	http_sse_params p;
	int fd;
	uint64_t sent;             /* last seq written */
	buf stage;                 /* bytes of the event being written */
	size_t off;
	struct timespec last_write;
	int gone;
} sse_reader;

/* Formats the next event after r->sent into the stage (lock held). 1 when
 * one was staged. */
static int stage_next(sse_reader *r)
{
	http_event *e;

	for (e = r->st->head; e && e->seq <= r->sent; e = e->next)
		;
	if (!e)
		return 0;
	buf_clear(&r->stage);
	r->off = 0;
	if (e->type)
		buf_printf(&r->stage, "event: %s\n", e->type);
	if (r->st->ids)
		buf_printf(&r->stage, "id: %lu-%" PRIu64 "\n", r->st->no, e->seq);
	buf_printf(&r->stage, "data: %s\n\n", e->data);
	r->sent = e->seq;
	if (e->seq > r->st->delivered)
		r->st->delivered = e->seq;
	return !buf_failed(&r->stage);
}

static int stream_done(const sse_reader *r)
{
	const http_stream *st = r->st;

	return st->closed || (!st->persistent && !json_array_size(st->pending) &&
			      r->sent + 1 >= st->next_seq);
}

static ssize_t sse_read(void *cls, uint64_t pos, char *out, size_t max)
{
	sse_reader *r = cls;
	http_stream *st = r->st;

	(void)pos;
	for (;;) {
		if (r->off < r->stage.len) {
			size_t n = r->stage.len - r->off;

			if (n > max)
				n = max;
			memcpy(out, r->stage.ptr + r->off, n);
			r->off += n;
			now_mono(&r->last_write);
			return (ssize_t)n;
		}
		pthread_mutex_lock(&st->lock);
		if (stage_next(r)) {
			pthread_mutex_unlock(&st->lock);
			continue;
		}
		if (stream_done(r) || atomic_load(r->p.stop)) {
			pthread_mutex_unlock(&st->lock);
			return MHD_CONTENT_READER_END_OF_STREAM;
		}
		wait_slice(st);
		pthread_mutex_unlock(&st->lock);
		if (http_peer_gone(r->fd)) {
			r->gone = 1;
			return MHD_CONTENT_READER_END_WITH_ERROR;
		}
		if (r->p.keepalive_s > 0 && ms_since(&r->last_write) >= r->p.keepalive_s * 1000) {
			buf_clear(&r->stage);
			buf_puts(&r->stage, ": keepalive\n\n");
			r->off = 0;
		}
	}
}

static void sse_free(void *cls)
{
	sse_reader *r = cls;
	http_stream *st = r->st;
	int incomplete;

	pthread_mutex_lock(&st->lock);
	st->attached = 0;
	now_mono(&st->detached);
	incomplete = json_array_size(st->pending) > 0;
	pthread_mutex_unlock(&st->lock);
	/* A client that cannot resume (no event ids, or an older protocol)
	 * will never collect the answer: stop the work now. A resumable one
	 * gets the grace period (the reaper cancels after it). */
	if (incomplete && (!r->p.prime || r->p.grace_ms <= 0))
		http_stream_cancel_pending(st, r->sess->mcp);
	if (r->p.end_session)
		http_sessions_remove(r->sess->http, r->sess);
	else
		http_sess_touch(r->sess);
	buf_dispose(&r->stage);
	http_stream_unref(st);
	http_sess_unref(r->sess);
	free(r);
}

struct MHD_Response *http_stream_response(http_stream *st, http_sess *sess,
					  const http_sse_params *p)
{
	sse_reader *r = calloc(1, sizeof(*r));
	struct MHD_Response *resp;

	if (!r)
		return NULL;
	r->st = st;
	r->sess = sess;
	r->p = *p;
	r->fd = http_conn_fd(p->conn);
	r->sent = p->after;
	r->stage = (buf)BUF_INIT(SIZE_MAX / 2);
	now_mono(&r->last_write);
	if (p->prime) {
		/* The priming event: an id the client can resume from before any
		 * message arrived, and how long to wait before reconnecting. */
		buf_printf(&r->stage, "id: %lu-%" PRIu64 "\nretry: %ld\ndata: \n\n",
			   st->no, p->after, p->retry_ms);
	}
	resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16 * 1024, sse_read, r,
						 sse_free);
	if (!resp) {
		buf_dispose(&r->stage);
		free(r);
		return NULL;
	}
	http_stream_ref(st);
	atomic_fetch_add(&sess->refs, 1);
	pthread_mutex_lock(&st->lock);
	st->attached = 1;
	pthread_mutex_unlock(&st->lock);
	MHD_add_response_header(resp, "Content-Type", "text/event-stream");
	MHD_add_response_header(resp, "Cache-Control", "no-cache, no-transform");
	MHD_add_response_header(resp, "X-Accel-Buffering", "no");
	return resp;
}
