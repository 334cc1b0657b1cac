/* stdio.c - newline-delimited JSON-RPC over stdin/stdout (see stdio.h). */
#include "mcp/stdio.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/log.h"
#include "mcp/jsonrpc.h"

typedef struct writer {
	int fd;
	pthread_mutex_t lock;
	int broken; /* the client closed stdout: drop further output */
} writer;

/* Writes one message as one line; the lock keeps concurrent answers from
 * interleaving. */
/* Writes one message line (text, then a newline) under the writer's lock. */
static int write_line(writer *w, const char *text, size_t len)
{
	size_t off = 0;
	ssize_t n;
	int error = 0;

	pthread_mutex_lock(&w->lock);
	if (w->broken) {
		pthread_mutex_unlock(&w->lock);
		return -1;
	}
	while (off < len + 1) {
		const char *p = off < len ? text + off : "\n";
		size_t want = off < len ? len - off : 1;

		n = write(w->fd, p, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			w->broken = 1;
			error = -1;
			break;
		}
		off += (size_t)n;
	}
	pthread_mutex_unlock(&w->lock);
	return error;
}

static int write_message(void *ctx, const json_t *msg)
{
	char *text = json_dumps(msg, JSON_COMPACT);
	int rc;

	if (!text)
		return -1;
	rc = write_line(ctx, text, strlen(text));
	free(text);
	return rc;
}

static int write_message_text(void *ctx, const json_t *id, const char *text, size_t len)
{
	(void)id;
	return write_line(ctx, text, len);
}

/* Signals end the loop through a pipe, whatever thread receives them. */
static int signal_pipe[2] = { -1, -1 };

static void on_signal(int signo)
{
	int saved = errno;
	char c = (char)signo;

	if (write(signal_pipe[1], &c, 1) < 0) {
		/* nothing to do: the loop also ends on EOF */
	}
	errno = saved;
}

static int install_signals(struct sigaction *old_term, struct sigaction *old_int)
{
	struct sigaction sa;

	if (signal_pipe[0] < 0) {
		if (pipe(signal_pipe) < 0)
			return -1;
		fcntl(signal_pipe[0], F_SETFL, O_NONBLOCK);
		fcntl(signal_pipe[1], F_SETFL, O_NONBLOCK);
		fcntl(signal_pipe[0], F_SETFD, FD_CLOEXEC);
		fcntl(signal_pipe[1], F_SETFD, FD_CLOEXEC);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, old_term);
	sigaction(SIGINT, &sa, old_int);
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

/* Handles every complete line in pending; keeps the unfinished tail. A
 * line over the cap was already cut short by the caller (too_long). */
static void dispatch_lines(mcp_session *s, buf *pending, const mcp_sink *sink)
{
	size_t start = 0, i, end;

	for (i = 0; i < pending->len; i++) {
		if (pending->ptr[i] != '\n')
			continue;
		end = i;
		if (end > start && pending->ptr[end - 1] == '\r')
			end--;
		/* Blank lines between messages are tolerated. */
		if (end > start && strspn(pending->ptr + start, " \t") < end - start)
			mcp_session_receive(s, pending->ptr + start, end - start, sink);
		start = i + 1;
	}
	if (start) {
		memmove(pending->ptr, pending->ptr + start, pending->len - start);
		buf_truncate(pending, pending->len - start);
	}
}

/* A line longer than the limit is not kept; what is needed to answer it
 * is: its id, read from the part that fitted, or else from its last bytes
 * (a client that writes the id after the params). */
typedef struct oversized {
	int active;          /* inside such a line */
	json_t *id;          /* found at its start, or NULL */
	char tail[128];      /* its last bytes so far */
	size_t ntail;
} oversized;

static void oversized_begin(oversized *o, const buf *prefix, const char *more,
			    size_t nmore)
{
	size_t keep = prefix->len + nmore;
	char *joined = malloc(keep);

	o->active = 1;
	o->ntail = 0;
	o->id = NULL;
	if (joined) {
		memcpy(joined, prefix->ptr ? prefix->ptr : "", prefix->len);
		memcpy(joined + prefix->len, more, nmore);
		o->id = mcp_jsonrpc_scan_id(joined, keep, NULL, 0);
		free(joined);
	}
}

static void oversized_feed(oversized *o, const char *p, size_t n)
{
	if (n >= sizeof(o->tail)) {
		memcpy(o->tail, p + n - sizeof(o->tail), sizeof(o->tail));
		o->ntail = sizeof(o->tail);
		return;
	}
	if (o->ntail + n > sizeof(o->tail)) {
		size_t drop = o->ntail + n - sizeof(o->tail);

		memmove(o->tail, o->tail + drop, o->ntail - drop);
		o->ntail -= drop;
	}
	memcpy(o->tail + o->ntail, p, n);
	o->ntail += n;
}

/* The line ended (or the input did): answer it, with its id if known. */
static void oversized_end(oversized *o, mcp_session *s, const mcp_sink *sink,
			  size_t limit)
{
	char msg[200];

	if (!o->active)
		return;
	if (!o->id)
		o->id = mcp_jsonrpc_scan_id(NULL, 0, o->tail, o->ntail);
	snprintf(msg, sizeof(msg), "Invalid Request: the message is larger than "
		 "the %zu-byte limit of the stdio transport", limit);
	mcp_session_reject(s, o->id, MCP_INVALID_REQUEST, msg, sink);
	log_warning("MCP", "dropped a message larger than %zu bytes", limit);
	json_decref(o->id);
	o->id = NULL;
	o->active = 0;
}

int mcp_stdio_run(mcp_server *server, const mcp_stdio_options *opts,
		  errinfo *err)
{
	mcp_stdio_options o = opts ? *opts : (mcp_stdio_options)MCP_STDIO_OPTIONS_INIT;
	writer w = { o.out_fd, PTHREAD_MUTEX_INITIALIZER, 0 };
	mcp_sink sink = { write_message, &w, NULL, write_message_text };
	struct sigaction old_term, old_int;
	buf pending = BUF_INIT(o.max_message + 2);
	mcp_session *session = NULL;
	char chunk[65536];
	oversized big = { 0, NULL, { 0 }, 0 };
	int error = 0;
	struct pollfd fds[2];
	ssize_t n;

	if (install_signals(&old_term, &old_int) < 0)
		return errinfo_set(err, ERR_IO, "cannot set up signal handling");
	if (mcp_session_new(&session, server, &sink, err) < 0)
		goto done;
	if (o.forward_logs)
		mcp_session_forward_logs(session, 1);

	for (;;) {
		fds[0].fd = o.in_fd;
		fds[0].events = POLLIN;
		fds[1].fd = signal_pipe[0];
		fds[1].events = POLLIN;
		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			error = errinfo_set(err, ERR_IO, "poll: %s", strerror(errno));
			break;
		}
		if (fds[1].revents & POLLIN) {
			log_info("MCP", "termination signal received, shutting down");
			break;
		}
		if (!(fds[0].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(o.in_fd, chunk, sizeof(chunk));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			error = errinfo_set(err, ERR_IO, "reading stdin: %s", strerror(errno));
			break;
		}
		if (n == 0)
			break;

		/* Feed the chunk; a line that outgrows the cap is dropped up to
		 * its newline and answered once, with its id when it can be
		 * read, so the client is not left waiting. */
		{
			const char *p = chunk, *stop = chunk + n;

			while (p < stop) {
				const char *nl = memchr(p, '\n', (size_t)(stop - p));
				size_t take = nl ? (size_t)(nl - p) + 1 : (size_t)(stop - p);

				if (big.active) {
					oversized_feed(&big, p, nl ? take - 1 : take);
				} else if (buf_put(&pending, p, take) < 0) {
					oversized_begin(&big, &pending, p, take);
					oversized_feed(&big, p, nl ? take - 1 : take);
					buf_clear(&pending);
				} else if (nl) {
					dispatch_lines(session, &pending, &sink);
				}
				if (nl && big.active)
					oversized_end(&big, session, &sink, o.max_message);
				p += take;
			}
		}
	}
	oversized_end(&big, session, &sink, o.max_message);

	mcp_session_shutdown(session, o.grace_ms);
done:
	mcp_session_free(session);
	buf_dispose(&pending);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGINT, &old_int, NULL);
	pthread_mutex_destroy(&w.lock);
	return error;
}
