/* test_stdio.c - the stdio transport over real pipes: one message per line,
 * CRLF tolerated, blank lines skipped, an oversized line rejected whole
 * without disturbing the next message, and a clean end on EOF that lets an
 * in-flight call finish. */
#include "testutil.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mcp/jsonrpc.h"
#include "mcp/registry.h"
#include "mcp/server.h"
#include "mcp/stdio.h"

#define INITIALIZE \
	"{\"jsonrpc\":\"2.0\",\"id\":100,\"method\":\"initialize\",\"params\":" \
	"{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":" \
	"{\"name\":\"t\",\"version\":\"1\"}}}\n"

static int wait_a_bit(json_t **out, tool_call *call, const json_t *args, errinfo *err)
{
	(void)call; (void)args; (void)err;
	usleep(100 * 1000);
	*out = json_pack("{s:b}", "success", 1);
	return 0;
}

static const tool_def defs[] = {
	{ "wait_a_bit", NULL, "Takes 100 ms", "{\"type\":\"object\"}", NULL, 0, wait_a_bit },
};
static const toolset set = { defs, 1 };

typedef struct run_args {
	mcp_server *server;
	mcp_stdio_options io;
	int rc;
} run_args;

static void *runner(void *p)
{
	run_args *a = p;
	errinfo err = ERRINFO_INIT;

	a->rc = mcp_stdio_run(a->server, &a->io, &err);
	close(a->io.out_fd);
	return NULL;
}

static void test_framing(void **state)
{
	const toolset *sets[] = { &set };
	mcp_server_options opts = MCP_SERVER_OPTIONS_INIT;
	mcp_registry *reg = NULL;
	mcp_server *server = NULL;
	errinfo err = ERRINFO_INIT;
	int in[2], out[2];
	run_args a;
	pthread_t t;
	char *big, *output;
	size_t len = 0, cap = 1 << 16, lines = 0;
	ssize_t n;
	FILE *f;
	char line[4096];
	int saw_big_error = 0, saw_ping = 0, saw_call = 0, saw_crlf = 0;

	(void)state;
	assert_int_equal(mcp_registry_new(&reg, sets, 1, &err), 0);
	opts.registry = reg;
	assert_int_equal(mcp_server_new(&server, &opts, &err), 0);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	memset(&a, 0, sizeof(a));
	a.server = server;
	a.io = (mcp_stdio_options)MCP_STDIO_OPTIONS_INIT;
	a.io.in_fd = in[0];
	a.io.out_fd = out[1];
	a.io.max_message = 1024;
	a.io.forward_logs = 0;
	assert_int_equal(pthread_create(&t, NULL, runner, &a), 0);

	f = fdopen(in[1], "w");
	fputs(INITIALIZE, f);
	fputs("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"wait_a_bit\"}}\n", f);
	fputs("\n   \n", f);
	fputs("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\r\n", f);
	big = malloc(4000);
	memset(big, 'x', 3999);
	big[3999] = '\0';
	fprintf(f, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"ping\",\"params\":{\"pad\":\"%s\"}}\n", big);
	/* the id after the params: read from the end of the line */
	fprintf(f, "{\"jsonrpc\":\"2.0\",\"method\":\"ping\",\"params\":{\"pad\":\"%s\"},\"id\":5}\n", big);
	fputs("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"ping\"}\n", f);
	free(big);
	fclose(f); /* EOF: the server must still answer the in-flight call */

	output = malloc(cap);
	while ((n = read(out[0], output + len, cap - len - 1)) > 0)
		len += (size_t)n;
	output[len] = '\0';
	pthread_join(t, NULL);
	assert_int_equal(a.rc, 0);

	f = fmemopen(output, len, "r");
	while (fgets(line, sizeof(line), f)) {
		json_t *m = json_loads(line, 0, NULL);
		json_int_t id;

		assert_non_null(m); /* every output line is one JSON message */
		lines++;
		id = json_integer_value(json_object_get(m, "id"));
		/* the oversized message is answered with its own id */
		if (id == 3 && json_object_get(m, "error"))
			saw_big_error++;
		if (id == 5 && json_object_get(m, "error"))
			saw_big_error++;
		if (id == 1 && json_object_get(m, "result"))
			saw_call = 1;
		if (id == 2)
			saw_crlf = 1;
		if (id == 4)
			saw_ping = 1;
		assert_false(id == 3 && json_object_get(m, "result")); /* never run */
		json_decref(m);
	}
	fclose(f);
	free(output);
	assert_int_equal(lines, 6);  /* with the initialize answer */
	assert_int_equal(saw_big_error, 2);
	assert_true(saw_ping && saw_call && saw_crlf);

	close(in[0]);
	close(out[0]);
	mcp_server_free(server);
	mcp_registry_free(reg);
}

/* SIGTERM ends the loop promptly even though stdin stays open, and the
 * in-flight call still gets its answer within the grace period. */
static void test_sigterm(void **state)
{
	const toolset *sets[] = { &set };
	mcp_server_options opts = MCP_SERVER_OPTIONS_INIT;
	mcp_registry *reg = NULL;
	mcp_server *server = NULL;
	errinfo err = ERRINFO_INIT;
	int in[2], out[2];
	run_args a;
	pthread_t t;
	char buf[4096] = "";
	size_t len = 0;
	ssize_t n;
	const char *call =
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"wait_a_bit\"}}\n";
	const char *ping = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}\n";

	(void)state;
	assert_int_equal(mcp_registry_new(&reg, sets, 1, &err), 0);
	opts.registry = reg;
	assert_int_equal(mcp_server_new(&server, &opts, &err), 0);
	assert_int_equal(pipe(in), 0);
	assert_int_equal(pipe(out), 0);
	memset(&a, 0, sizeof(a));
	a.server = server;
	a.io = (mcp_stdio_options)MCP_STDIO_OPTIONS_INIT;
	a.io.in_fd = in[0];
	a.io.out_fd = out[1];
	a.io.forward_logs = 0;
	assert_int_equal(pthread_create(&t, NULL, runner, &a), 0);

	/* Once the ping is answered the loop (and its handlers) is running. */
	assert_true(write(in[1], INITIALIZE, strlen(INITIALIZE)) > 0);
	assert_true(write(in[1], call, strlen(call)) > 0);
	assert_true(write(in[1], ping, strlen(ping)) > 0);
	while (!strstr(buf, "\"id\":2") && (n = read(out[0], buf + len, sizeof(buf) - len - 1)) > 0) {
		len += (size_t)n;
		buf[len] = '\0';
	}
	kill(getpid(), SIGTERM);
	pthread_join(t, NULL); /* returns although stdin was never closed */
	assert_int_equal(a.rc, 0);
	while ((n = read(out[0], buf + len, sizeof(buf) - len - 1)) > 0)
		len += (size_t)n;
	buf[len] = '\0';
	assert_non_null(strstr(buf, "\"id\":1,\"result\""));

	close(in[1]);
	close(in[0]);
	close(out[0]);
	mcp_server_free(server);
	mcp_registry_free(reg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_framing),
		cmocka_unit_test(test_sigterm),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
