/* http_sessions.c - the HTTP transport's session table (see http_int.h).
 *
 * A session is an MCP session (server.h) plus its streams, found by a
 * 128-bit id from getrandom(2) written as 32 hex digits, so ids can be
 * neither guessed nor enumerated (MCP 2025-11-25: "cryptographically
 * secure"). Sessions are reference counted: the table holds one, every
 * request using it another, so DELETE or expiry never frees a session a
 * request is still reading. The last reference frees the MCP session,
 * which cancels and waits for its calls; only then are the streams (whose
 * sinks those calls used) freed.
 */
#include "mcp/http_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/log.h"

static void now_mono(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static int new_id(char *out)
{
	unsigned char raw[HTTP_SID_LEN / 2];
	size_t got = 0, i;
	ssize_t n;

	while (got < sizeof(raw)) {
		n = getrandom(raw + got, sizeof(raw) - got, 0);
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	for (i = 0; i < sizeof(raw); i++)
		snprintf(out + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

static void sess_free(http_sess *s)
{
	http_stream *st;

	/* Cancels whatever still runs and waits for it: afterwards no worker
	 * holds a sink of ours. */
	mcp_session_free(s->mcp);
	while ((st = s->streams)) {
		s->streams = st->next;
		http_stream_unref(st);
	}
	http_stream_unref(s->standalone);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

void http_sess_unref(http_sess *s)
{
	if (s && atomic_fetch_sub(&s->refs, 1) == 1)
		sess_free(s);
}

void http_sess_touch(http_sess *s)
{
	pthread_mutex_lock(&s->lock);
	now_mono(&s->last_active);
	pthread_mutex_unlock(&s->lock);
}

int http_sessions_create(http_sess **out, mcp_http *h, const char *client, int legacy)
{
	http_sess *s, *it;
	size_t same = 0;
	mcp_sink sink = { 0 };
	errinfo err = ERRINFO_INIT;

	*out = NULL;
	if (atomic_load(&h->draining))
		return 503;
	s = calloc(1, sizeof(*s));
	if (!s)
		return 503;
	atomic_init(&s->refs, 2); /* the table's and the caller's */
	s->http = h;
	s->legacy = legacy;
	snprintf(s->client, sizeof(s->client), "%s", client);
	pthread_mutex_init(&s->lock, NULL);
	now_mono(&s->last_active);
	s->next_no = 1;
	s->standalone = http_stream_new(0, h->o.replay_events, 1);
	if (!s->standalone || new_id(s->id) < 0) {
		http_stream_unref(s->standalone);
		pthread_mutex_destroy(&s->lock);
		free(s);
		return 503;
	}
	if (legacy) {
		s->standalone->legacy = 1;
		s->standalone->ids = 0;
	}
	sink = http_stream_sink(s->standalone);
	if (mcp_session_new(&s->mcp, h->server, &sink, &err) < 0) {
		http_stream_unref(s->standalone);
		pthread_mutex_destroy(&s->lock);
		free(s);
		return 503;
	}

	pthread_mutex_lock(&h->lock);
	for (it = h->sessions; it; it = it->next)
		same += strcmp(it->client, client) == 0;
	if (h->nsessions >= h->o.max_sessions || same >= h->o.max_sessions_per_client) {
		int status = h->nsessions >= h->o.max_sessions ? 503 : 429;

		pthread_mutex_unlock(&h->lock);
		log_warning("HTTP", "session refused for %s: %s", client,
			    status == 503 ? "the server has its maximum of sessions"
					  : "this client has its maximum of sessions");
		atomic_init(&s->refs, 1);
		http_sess_unref(s);
		return status;
	}
	s->next = h->sessions;
	h->sessions = s;
	h->nsessions++;
	pthread_mutex_unlock(&h->lock);
	log_debug("HTTP", "%s session opened for %s", legacy ? "legacy SSE" : "Streamable HTTP",
		  client);
	*out = s;
	return 0;
}

http_sess *http_sessions_find(mcp_http *h, const char *id)
{
	http_sess *s;

	if (!id || strlen(id) != HTTP_SID_LEN)
		return NULL;
	pthread_mutex_lock(&h->lock);
	for (s = h->sessions; s; s = s->next)
		if (http_secret_equal(s->id, HTTP_SID_LEN, id, HTTP_SID_LEN)) {
			atomic_fetch_add(&s->refs, 1);
			break;
		}
	pthread_mutex_unlock(&h->lock);
	return s;
}

/* Unlinks s (table lock held). 1 if it was in the table. */
static int unlink_sess(mcp_http *h, http_sess *s)
{
	http_sess **pp;

	for (pp = &h->sessions; *pp; pp = &(*pp)->next)
		if (*pp == s) {
			*pp = s->next;
			h->nsessions--;
			s->removed = 1;
			return 1;
		}
	return 0;
}

static void close_streams(http_sess *s)
{
	http_stream *st;

	pthread_mutex_lock(&s->lock);
	for (st = s->streams; st; st = st->next)
		http_stream_close(st);
	pthread_mutex_unlock(&s->lock);
	http_stream_close(s->standalone);
}

void http_sessions_remove(mcp_http *h, http_sess *s)
{
	int was;

	pthread_mutex_lock(&h->lock);
	was = unlink_sess(h, s);
	pthread_mutex_unlock(&h->lock);
	if (!was)
		return;
	log_debug("HTTP", "session for %s ended", s->client);
	close_streams(s);
	http_sess_unref(s); /* the table's reference */
}

http_stream *http_sess_new_stream(http_sess *s)
{
	http_stream *st;

	pthread_mutex_lock(&s->lock);
	st = http_stream_new(s->next_no++, s->http->o.replay_events, 0);
	if (st) {
		st->attached = 1; /* the POST handler delivers it */
		st->next = s->streams;
		s->streams = st;
		http_stream_ref(st);
	}
	pthread_mutex_unlock(&s->lock);
	return st;
}

http_stream *http_sess_find_stream(http_sess *s, unsigned long no)
{
	http_stream *st;

	if (no == 0) {
		http_stream_ref(s->standalone);
		return s->standalone;
	}
	pthread_mutex_lock(&s->lock);
	for (st = s->streams; st && st->no != no; st = st->next)
		;
	if (st)
		http_stream_ref(st);
	pthread_mutex_unlock(&s->lock);
	return st;
}

void http_sess_drop_stream(http_sess *s, http_stream *st)
{
	http_stream **pp;
	int found = 0;

	pthread_mutex_lock(&s->lock);
	for (pp = &s->streams; *pp; pp = &(*pp)->next)
		if (*pp == st) {
			*pp = st->next;
			found = 1;
			break;
		}
	pthread_mutex_unlock(&s->lock);
	if (found)
		http_stream_unref(st);
}

/* Drops the finished streams of one session. */
static void reap_streams(http_sess *s, long grace_ms)
{
	http_stream **pp, *st, *dead = NULL;

	pthread_mutex_lock(&s->lock);
	for (pp = &s->streams; (st = *pp);) {
		if (http_stream_reapable(st, s->mcp, grace_ms)) {
			*pp = st->next;
			st->next = dead;
			dead = st;
		} else {
			pp = &st->next;
		}
	}
	pthread_mutex_unlock(&s->lock);
	while ((st = dead)) {
		dead = st->next;
		http_stream_unref(st);
	}
}

static int sess_busy(http_sess *s)
{
	http_stream *st;
	int busy;

	pthread_mutex_lock(&s->standalone->lock);
	busy = s->standalone->attached;
	pthread_mutex_unlock(&s->standalone->lock);
	pthread_mutex_lock(&s->lock);
	for (st = s->streams; st && !busy; st = st->next)
		busy = st->attached;
	pthread_mutex_unlock(&s->lock);
	return busy || mcp_session_inflight(s->mcp) > 0;
}

void http_sessions_reap(mcp_http *h)
{
	http_sess *s, *expired = NULL, *next, **all = NULL;
	struct timespec now;
	size_t n = 0, i;

	now_mono(&now);
	pthread_mutex_lock(&h->lock);
	all = calloc(h->nsessions ? h->nsessions : 1, sizeof(*all));
	for (s = h->sessions; s && all; s = next) {
		long idle;

		next = s->next;
		pthread_mutex_lock(&s->lock);
		idle = (long)(now.tv_sec - s->last_active.tv_sec);
		pthread_mutex_unlock(&s->lock);
		if (!s->legacy && idle >= h->o.session_idle_s && !sess_busy(s)) {
			unlink_sess(h, s);
			s->next = expired;
			expired = s;
			continue;
		}
		atomic_fetch_add(&s->refs, 1);
		all[n++] = s;
	}
	pthread_mutex_unlock(&h->lock);

	for (i = 0; i < n; i++) {
		reap_streams(all[i], h->o.resume_grace_ms);
		http_sess_unref(all[i]);
	}
	free(all);
	while ((s = expired)) {
		expired = s->next;
		log_info("HTTP", "session of %s expired after %ld s idle", s->client,
			 h->o.session_idle_s);
		close_streams(s);
		http_sess_unref(s);
	}
}

void http_sessions_clear(mcp_http *h)
{
	http_sess *s;

	for (;;) {
		pthread_mutex_lock(&h->lock);
		s = h->sessions;
		if (s)
			atomic_fetch_add(&s->refs, 1);
		pthread_mutex_unlock(&h->lock);
		if (!s)
			break;
		http_sessions_remove(h, s);
		http_sess_unref(s);
	}
}

size_t http_sessions_inflight(mcp_http *h)
{
	http_sess *s;
	size_t n = 0;

	pthread_mutex_lock(&h->lock);
	for (s = h->sessions; s; s = s->next)
		n += mcp_session_inflight(s->mcp);
	pthread_mutex_unlock(&h->lock);
	return n;
}
