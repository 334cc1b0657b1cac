/* test_http_slow.c - slow clients cannot hold the HTTP transport (issue
 * 10): a request's headers and its body must arrive within their
 * deadlines however steadily the bytes trickle in, one client address can
 * hold only its share of the connections, and /health stays answerable
 * for everyone else while one address sits at its cap. Keep-alive
 * connections idle between requests and calls that take long to answer
 * are not cut short. Deadlines are set to a second or two so the file
 * runs in seconds; every loop is bounded in count and time. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>

#include "http_testkit.h"

/* Milliseconds since start. */
static long since_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - start->tv_sec) * 1000 + (now.tv_nsec - start->tv_nsec) / 1000000;
}

/* A TCP connection to 127.0.0.1:port from the local address src (all of
 * 127.0.0.0/8 is local on Linux). -1 when connect fails. */
static int connect_from(const char *src, int port)
{
	struct sockaddr_in me, to;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	memset(&me, 0, sizeof(me));
	me.sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, src, &me.sin_addr), 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&me, sizeof(me)), 0);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons((uint16_t)port);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&to, sizeof(to)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int send_text(int fd, const char *text)
{
	size_t n = strlen(text);

	return send(fd, text, n, MSG_NOSIGNAL) == (ssize_t)n ? 0 : -1;
}

/* Non-zero when the peer closed fd (EOF or reset); reads and drops any
 * bytes the server sent. Does not block. */
static int peer_closed(int fd)
{
	char chunk[1024];
	int i;

	for (i = 0; i < 64; i++) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 0) <= 0)
			return 0;
		n = recv(fd, chunk, sizeof(chunk), MSG_DONTWAIT);
		if (n == 0)
			return 1;
		if (n < 0)
			return errno != EAGAIN && errno != EWOULDBLOCK;
	}
	return 0;
}

/* GET /health over a fresh connection from src; 1 when 200 came back
 * within timeout_ms. */
static int health_from(const char *src, int port, long timeout_ms)
{
	buf b = BUF_INIT(1 << 16);
	int fd = connect_from(src, port), ok = 0;

	if (fd >= 0 && send_text(fd, "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
				 "Connection: close\r\n\r\n") == 0)
		ok = tk_raw_read_until(fd, &b, "\"status\":\"ok\"", timeout_ms) &&
		     strncmp(buf_cstr(&b), "HTTP/1.1 200", 12) == 0;
	if (fd >= 0)
		close(fd);
	buf_dispose(&b);
	return ok;
}

typedef struct slow_conn {
	int fd;
	struct timespec start;     /* connected */
	long lived_ms;             /* until the server closed it; -1 = open */
	int refused;               /* closed before the first dribble */
} slow_conn;

/* Opens n connections from src that each send the start of a request and
 * no more. Connections the server refuses at once count as closed. */
static void open_slow(slow_conn *c, size_t n, const char *src, int port, const char *start)
{
	size_t i;

	for (i = 0; i < n; i++) {
		clock_gettime(CLOCK_MONOTONIC, &c[i].start);
		c[i].lived_ms = -1;
		c[i].refused = 0;
		c[i].fd = connect_from(src, port);
		if (c[i].fd < 0 || send_text(c[i].fd, start) < 0)
			c[i].lived_ms = 0;
	}
}

/* Every step_ms sends one more byte on each open connection (a header
 * that never ends, or body bytes); looks every 10 ms whether the server
 * closed it and notes when. Returns when all are closed or after limit_ms
 * (0: one pass). The number still open. */
static size_t dribble(slow_conn *c, size_t n, long step_ms, long limit_ms, const char *byte)
{
	struct timespec start;
	long sent_at = -step_ms;
	size_t i, open;

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		long now = since_ms(&start);
		int send_now = now - sent_at >= step_ms;

		if (send_now)
			sent_at = now;
		open = 0;
		for (i = 0; i < n; i++) {
			if (c[i].lived_ms >= 0)
				continue;
			if (peer_closed(c[i].fd) || (send_now && send_text(c[i].fd, byte) < 0))
				c[i].lived_ms = since_ms(&c[i].start);
			else
				open++;
		}
		if (!open || now >= limit_ms)
			return open;
		tk_sleep_ms(10);
	}
}

static void close_slow(slow_conn *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (c[i].fd >= 0)
			close(c[i].fd);
}

/* The longest and (in *shortest) shortest life of the connections the
 * server accepted. */
static long longest(const slow_conn *c, size_t n, long *shortest)
{
	long max = -1;
	size_t i;

	*shortest = -1;
	for (i = 0; i < n; i++) {
		if (c[i].refused)
			continue;
		if (c[i].lived_ms > max)
			max = c[i].lived_ms;
		if (*shortest < 0 || c[i].lived_ms < *shortest)
			*shortest = c[i].lived_ms;
	}
	return max;
}

static const char slow_header_start[] = "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ";

/* Headers trickling in one byte per 200 ms (each byte restarts an idle
 * timeout) are cut off at the header deadline. */
static void test_slow_headers_closed(void **state)
{
	mcp_http_options o = tk_options();
	slow_conn c[4];
	long lived, shortest;
	tk_server t;

	(void)state;
	o.header_timeout_ms = 1000;
	tk_start(&t, &o);
	open_slow(c, 4, "127.0.0.1", t.port, slow_header_start);
	assert_int_equal(dribble(c, 4, 200, 5000, "a"), 0);
	lived = longest(c, 4, &shortest);
	print_message("slow headers: connections lived %ld to %ld ms (deadline %ld ms)\n",
		      shortest, lived, o.header_timeout_ms);
	assert_true(shortest >= o.header_timeout_ms - 50);
	assert_true(lived <= o.header_timeout_ms + 1000);
	close_slow(c, 4);
	/* A client that sends nothing at all is closed the same way. */
	open_slow(c, 1, "127.0.0.1", t.port, "");
	assert_int_equal(dribble(c, 1, 100, 5000, ""), 0);
	assert_true(c[0].lived_ms <= o.header_timeout_ms + 1000);
	close_slow(c, 1);
	assert_true(health_from("127.0.0.1", t.port, 2000));
	tk_stop(&t);
}

/* Complete headers, then a body trickling in: cut off at the body deadline. */
static void test_slow_body_closed(void **state)
{
	mcp_http_options o = tk_options();
	slow_conn c[2];
	long lived, shortest;
	tk_server t;

	(void)state;
	o.header_timeout_ms = 500;
	o.body_timeout_ms = 1500;
	tk_start(&t, &o);
	open_slow(c, 2, "127.0.0.1", t.port, "POST /mcp HTTP/1.1\r\nHost: 127.0.0.1\r\n"
		  "Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{");
	assert_int_equal(dribble(c, 2, 200, 6000, " "), 0);
	lived = longest(c, 2, &shortest);
	print_message("slow body: connections lived %ld to %ld ms (deadline %ld ms after the "
		      "headers)\n", shortest, lived, o.body_timeout_ms);
	assert_true(shortest >= o.body_timeout_ms - 50);
	assert_true(lived <= o.body_timeout_ms + 1000);
	close_slow(c, 2);
	tk_stop(&t);
}

/* 40 slow connections from 127.0.0.1 against a server that holds 32: one
 * address gets its share (8), the rest is refused at once, /health keeps
 * answering from 127.0.0.2, and the 8 go at the deadline. */
static void test_one_address_cannot_lock_out_others(void **state)
{
	enum { N = 40 };
	mcp_http_options o = tk_options();
	slow_conn c[N];
	struct timespec t0;
	long lived, shortest, health_ms;
	size_t i, accepted = 0;
	tk_server t;

	(void)state;
	o.max_connections = 16;     /* libmicrohttpd's limit: 16 + 16 */
	o.header_timeout_ms = 2000; /* per address: max(16 / 4, 8) = 8 */
	tk_start(&t, &o);
	open_slow(c, N, "127.0.0.1", t.port, slow_header_start);
	/* The refusals come as the server accepts: give it up to 1 s. */
	for (i = 0; i < 20 && dribble(c, N, 0, 0, "a") > 8; i++)
		tk_sleep_ms(50);
	for (i = 0; i < N; i++) {
		c[i].refused = c[i].lived_ms >= 0;
		accepted += !c[i].refused;
	}
	print_message("per address: %zu of %d connections from 127.0.0.1 accepted\n",
		      accepted, N);
	/* 127.0.0.2 is served at once; 127.0.0.1 is at its cap. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_true(health_from("127.0.0.2", t.port, 1000));
	health_ms = since_ms(&t0);
	print_message("per address: /health from 127.0.0.2 answered in %ld ms\n", health_ms);
	assert_int_equal(accepted, 8);
	assert_false(health_from("127.0.0.1", t.port, 300));
	assert_int_equal(dribble(c, N, 200, 6000, "a"), 0);
	lived = longest(c, N, &shortest);
	print_message("per address: accepted slow connections lived %ld to %ld ms "
		      "(deadline %ld ms)\n", shortest, lived, o.header_timeout_ms);
	assert_true(lived <= o.header_timeout_ms + 1000);
	close_slow(c, N);
	/* Once they are gone the address is served again. */
	assert_true(health_from("127.0.0.1", t.port, 2000));
	tk_stop(&t);
}

/* The deadlines apply to receiving a request only: a keep-alive
 * connection idle between requests lives on, a call that takes longer
 * than both deadlines to answer is answered, but a keep-alive connection
 * that starts trickling its next request is cut off like a new one. */
static void test_keepalive_and_long_calls_unaffected(void **state)
{
	static const char health[] = "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
	mcp_http_options o = tk_options();
	char sid[64];
	slow_conn c[1];
	buf b = BUF_INIT(1 << 16);
	tk_server t;
	tk_resp r;
	int fd;

	(void)state;
	o.header_timeout_ms = 1000;
	o.body_timeout_ms = 1000;
	tk_start(&t, &o);

	/* Two requests on one connection, 2.5 s of idling between them. */
	fd = connect_from("127.0.0.1", t.port);
	assert_true(fd >= 0);
	assert_int_equal(send_text(fd, health), 0);
	assert_true(tk_raw_read_until(fd, &b, "\"status\":\"ok\"", 2000));
	tk_sleep_ms(2500);
	assert_false(peer_closed(fd));
	buf_dispose(&b);
	b = (buf)BUF_INIT(1 << 16);
	assert_int_equal(send_text(fd, health), 0);
	assert_true(tk_raw_read_until(fd, &b, "\"status\":\"ok\"", 2000));
	buf_dispose(&b);

	/* The same connection now trickles a third request. */
	c[0].fd = fd;
	c[0].lived_ms = -1;
	clock_gettime(CLOCK_MONOTONIC, &c[0].start);
	assert_int_equal(send_text(fd, slow_header_start), 0);
	assert_int_equal(dribble(c, 1, 200, 5000, "a"), 0);
	print_message("keep-alive: a trickled second request lived %ld ms (deadline %ld ms)\n",
		      c[0].lived_ms, o.header_timeout_ms);
	assert_true(c[0].lived_ms >= o.header_timeout_ms - 300);
	assert_true(c[0].lived_ms <= o.header_timeout_ms + 1000);
	close(fd);

	/* A 2.5 s call, longer than either deadline, is answered. */
	tk_open_session(&t, "2025-11-25", sid, sizeof(sid));
	tk_post(&r, &t, sid, "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"tools/call\",\"params\":"
		"{\"name\":\"slow\",\"arguments\":{\"ms\":2500}}}", NULL);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(buf_cstr(&r.body), "\"result\""));
	tk_resp_dispose(&r);
	tk_stop(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slow_headers_closed),
		cmocka_unit_test(test_slow_body_closed),
		cmocka_unit_test(test_one_address_cannot_lock_out_others),
		cmocka_unit_test(test_keepalive_and_long_calls_unaffected),
	};
	int rc;

	curl_global_init(CURL_GLOBAL_DEFAULT);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
