/*
 * httpd.h - start tests/aws/httpd.py (the scripted loopback server) from a
 * unit test, and stop it.  Header-only, like check.h.
 */
#ifndef ACCEL_TEST_HTTPD_H
#define ACCEL_TEST_HTTPD_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>

static long httpd_pid;

/* httpd_start: BASE gets "http://127.0.0.1:PORT".  0 or -1. */
static inline int
httpd_start(char *base, size_t len)
{
	const char *top = getenv("TOP");
	char cmd[4096], line[64], *end;
	long port;
	FILE *f;

	snprintf(cmd, sizeof cmd, "exec python3 '%s/tests/aws/httpd.py'",
	    top ? top : ".");
	if ((f = popen(cmd, "r")) == NULL)
		return -1;
	/* The pipe stays open (and unread) until the server is killed. */
	if (fgets(line, sizeof line, f) == NULL)
		return -1;
	port = strtol(line, &end, 10);
	httpd_pid = strtol(end, NULL, 10);
	if (port <= 0 || httpd_pid <= 0)
		return -1;
	snprintf(base, len, "http://127.0.0.1:%ld", port);
	return 0;
}

static inline void
httpd_stop(void)
{
	if (httpd_pid > 0)
		kill((pid_t)httpd_pid, SIGTERM);
}

#endif
