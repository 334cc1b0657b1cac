/* http_conns.c - deadlines for receiving a request (see http_int.h).
 *
 * libmicrohttpd's MHD_OPTION_CONNECTION_TIMEOUT is an idle timeout: every
 * byte restarts it, so a client sending one header byte every couple of
 * seconds keeps its connection (and, one thread per connection, a thread)
 * for ever, and a few hundred such clients fill the connection limit
 * before any request is checked, /health included (issue 10). The
 * installed libmicrohttpd (0.9.75) has no deadline of its own and calls
 * the application only once the headers are complete, so the transport
 * keeps a record of every connection (MHD_OPTION_NOTIFY_CONNECTION) and
 * gives each request phase its own clock:
 *
 *   HEADERS  from accept, or from the first byte of the next request on a
 *            keep-alive connection, until the access handler first runs:
 *            header_timeout_ms, 10 s by default. A request line and its
 *            headers are a few hundred bytes that a live client sends in
 *            one go; 10 s leaves room for a congested link and a TLS
 *            terminating proxy in between.
 *   BODY     from then until the body is in: body_timeout_ms, 30 s by
 *            default, enough for the 4 MiB body limit at about 1.1 Mbit/s.
 *            Clients slower than that should send smaller requests.
 *   BUSY     the request is being answered (a tool call, an SSE stream):
 *            no deadline here; the endpoints have their own rules.
 *   IDLE     between requests on a keep-alive connection: libmicrohttpd's
 *            idle timeout (connection_timeout_s) applies, unchanged.
 *
 * The reaper thread calls http_conns_enforce() every 250 ms; it ends a
 * connection past its deadline with shutdown(2) on the socket, which wakes
 * the connection's thread: it reads EOF and libmicrohttpd closes the
 * connection as if the client had gone. libmicrohttpd reads the next
 * request of a keep-alive connection without telling the application, so
 * an IDLE connection becomes HEADERS when the kernel reports data received
 * after the last request ended (TCP_INFO, tcpi_last_data_recv); where that
 * is not available the next request's headers are due within the
 * keep-alive timeout of the last request's end.
 *
 * Records are only touched under mcp_http.conn_lock. libmicrohttpd calls
 * the CLOSED notification before it closes the socket, so a record's fd is
 * the connection's for as long as the record is in the list; the socket's
 * inode is checked as well before shutdown, in case that ever changes.
 */
#include "mcp/http_int.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "core/log.h"

/* A keep-alive connection counts as sending again when data arrived more
 * than this after the last data of the previous request (TCP_INFO has the
 * kernel tick's resolution). */
#define DATA_SLACK_MS 20
/* At most one summary log line per this many ms. */
#define LOG_EVERY_MS 60000

struct http_conn {
	struct http_conn *prev, *next;
	int fd;
	dev_t dev;                 /* the socket, to never shut down a reused fd */
	ino_t ino;
	int phase;                 /* HTTP_CONN_* */
	long since_ms;             /* the phase began */
	long data_ms;              /* IDLE: data last received before it, or -1 */
	long seen_ms;              /* IDLE: last check that found no new data */
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* When the kernel last received data on fd (on the now_ms() clock), or -1
 * when it cannot say. */
static long last_data_ms(int fd, long now)
{
#ifdef TCP_INFO
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	memset(&ti, 0, sizeof(ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == 0 &&
	    len >= offsetof(struct tcp_info, tcpi_last_data_recv) + sizeof(ti.tcpi_last_data_recv))
		return now - (long)ti.tcpi_last_data_recv;
#else
	(void)fd; (void)now;
#endif
	return -1;
}

static void conn_unlink(mcp_http *h, http_conn *k)
{
	if (k->prev)
		k->prev->next = k->next;
	else
		h->conns = k->next;
	if (k->next)
		k->next->prev = k->prev;
	k->prev = k->next = NULL;
}

void http_conn_notify(void *cls, struct MHD_Connection *c, void **socket_context,
		      enum MHD_ConnectionNotificationCode code)
{
	mcp_http *h = cls;
	http_conn *k;
	struct stat st;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		k = calloc(1, sizeof(*k));
		*socket_context = k;
		if (!k)
			return; /* out of memory: this connection goes without deadline */
		k->fd = http_conn_fd(c);
		if (k->fd < 0 || fstat(k->fd, &st) != 0) {
			k->fd = -1;
		} else {
			k->dev = st.st_dev;
			k->ino = st.st_ino;
		}
		k->phase = HTTP_CONN_HEADERS;
		k->since_ms = now_ms();
		k->data_ms = -1;
		pthread_mutex_lock(&h->conn_lock);
		k->next = h->conns;
		if (h->conns)
			h->conns->prev = k;
		h->conns = k;
		pthread_mutex_unlock(&h->conn_lock);
		return;
	}
	k = *socket_context;
	*socket_context = NULL;
	if (!k)
		return;
	pthread_mutex_lock(&h->conn_lock);
	conn_unlink(h, k);
	pthread_mutex_unlock(&h->conn_lock);
	free(k);
}

http_conn *http_conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

void http_conn_phase(mcp_http *h, http_conn *k, int phase)
{
	long now;

	if (!k)
		return;
	now = now_ms();
	pthread_mutex_lock(&h->conn_lock);
	if (k->phase != HTTP_CONN_CLOSING) {
		k->phase = phase;
		k->since_ms = now;
		if (phase == HTTP_CONN_IDLE) {
			k->data_ms = k->fd >= 0 ? last_data_ms(k->fd, now) : -1;
			k->seen_ms = now;
		}
	}
	pthread_mutex_unlock(&h->conn_lock);
}

/* Non-zero when fd is still the socket recorded in k. */
static int same_socket(const http_conn *k)
{
	struct stat st;

	return k->fd >= 0 && fstat(k->fd, &st) == 0 && st.st_dev == k->dev &&
	       st.st_ino == k->ino;
}

/* The deadline (now_ms() clock) of k in its phase, or -1 for none. May
 * move an IDLE connection that started sending to HEADERS. */
static long deadline(const mcp_http *h, http_conn *k, long now)
{
	long data;

	switch (k->phase) {
	case HTTP_CONN_HEADERS:
		return k->since_ms + h->o.header_timeout_ms;
	case HTTP_CONN_BODY:
		return k->since_ms + h->o.body_timeout_ms;
	case HTTP_CONN_IDLE:
		data = k->data_ms >= 0 && k->fd >= 0 ? last_data_ms(k->fd, now) : -1;
		if (data < 0) /* no TCP_INFO: due within the keep-alive timeout */
			return h->o.connection_timeout_s > 0
			       ? k->since_ms + h->o.connection_timeout_s * 1000 +
				 h->o.header_timeout_ms
			       : -1;
		if (data > k->data_ms + DATA_SLACK_MS) {
			/* The first byte came after the last check that saw none. */
			k->phase = HTTP_CONN_HEADERS;
			k->since_ms = k->seen_ms;
			return k->since_ms + h->o.header_timeout_ms;
		}
		k->seen_ms = now;
		return -1;
	default:
		return -1;
	}
}

void http_conns_enforce(mcp_http *h)
{
	long now = now_ms(), due;
	unsigned long cut = 0;
	http_conn *k;

	pthread_mutex_lock(&h->conn_lock);
	for (k = h->conns; k; k = k->next) {
		int phase = k->phase;

		due = deadline(h, k, now);
		if (due < 0 || now < due || !same_socket(k))
			continue;
		/* Wakes the connection's thread with EOF; it closes the rest. */
		shutdown(k->fd, SHUT_RDWR);
		k->phase = HTTP_CONN_CLOSING;
		log_debug("HTTP", "closed a connection that sent no complete %s in %ld ms",
			  phase == HTTP_CONN_BODY ? "request body" : "request headers",
			  phase == HTTP_CONN_BODY ? h->o.body_timeout_ms : h->o.header_timeout_ms);
		cut++;
	}
	h->conns_cut += cut;
	if (h->conns_cut && (!h->conns_logged_ms || now - h->conns_logged_ms >= LOG_EVERY_MS)) {
		log_info("HTTP", "closed %lu connection(s) that did not send a complete request "
			 "in time (headers %ld ms, body %ld ms)", h->conns_cut,
			 h->o.header_timeout_ms, h->o.body_timeout_ms);
		h->conns_cut = 0;
		h->conns_logged_ms = now;
	}
	pthread_mutex_unlock(&h->conn_lock);
}

void http_conns_clear(mcp_http *h)
{
	http_conn *k;

	pthread_mutex_lock(&h->conn_lock);
	while ((k = h->conns) != NULL) {
		conn_unlink(h, k);
		free(k);
	}
	pthread_mutex_unlock(&h->conn_lock);
}
