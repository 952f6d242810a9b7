/*
 * creds-process.c - credential_process as botocore's ProcessProvider runs
 * it: the command is split with shell rules (shlex.c) and executed without
 * a shell, found on PATH; its stdout is a JSON document of Version 1.
 * Unlike botocore, its stderr goes straight to ours (so prompts and
 * reasons reach the user) and it has a deadline.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "creds-int.h"
#include "shlex.h"
#include "util.h"

static long
monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static pid_t
spawn(char **argv, int *out_fd, char *err, size_t errlen)
{
	int fds[2];
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) == -1) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) == -1) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return -1;
	}
	if (pid == 0) {
		if (dup2(fds[1], STDOUT_FILENO) == -1)
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: cannot run credential_process '%s': %s\n",
		    accel_prog, argv[0], strerror(errno));
		_exit(127);
	}
	close(fds[1]);
	*out_fd = fds[0];
	return pid;
}

/* Read FD to EOF into OUT within TIMEOUT_MS; 1 on timeout, -1 on error. */
static int
read_until(int fd, long timeout_ms, struct buf *out, char *err, size_t errlen)
{
	long deadline = monotonic_ms() + timeout_ms, left;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char chunk[4096];
	ssize_t n;
	int rc;

	for (;;) {
		if ((left = deadline - monotonic_ms()) <= 0)
			return 1;
		rc = poll(&pfd, 1, (int)(left > 60000 ? 60000 : left));
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == -1) {
			snprintf(err, errlen, "poll: %s", strerror(errno));
			return -1;
		}
		if (rc == 0)
			continue;
		n = read(fd, chunk, sizeof chunk);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (buf_append(out, chunk, (size_t)n) == -1) {
			wipe(chunk, sizeof chunk);
			snprintf(err, errlen, "credential_process wrote more "
			    "than %d bytes", CREDS_MAX_RESPONSE);
			return -1;
		}
	}
	wipe(chunk, sizeof chunk);
	return n == 0 ? 0 : (snprintf(err, errlen, "read: %s",
	    strerror(errno)), -1);
}

int
creds_process_parse(const char *text, size_t len, struct creds *out,
    char *err, size_t errlen)
{
	cJSON *doc = cJSON_ParseWithLength(text ? text : "", len);
	const cJSON *ver;
	int rc = -1;

	if (!cJSON_IsObject(doc)) {
		snprintf(err, errlen, "credential_process output is not a JSON "
		    "object");
		goto out;
	}
	ver = cJSON_GetObjectItemCaseSensitive(doc, "Version");
	if (!cJSON_IsNumber(ver) || ver->valuedouble != 1) {
		snprintf(err, errlen, "Unsupported version '%s' for credential "
		    "process provider, supported versions: 1",
		    ver == NULL ? "<Version key not provided>" :
		    cJSON_IsNumber(ver) ? "not 1" : "not a number");
		goto out;
	}
	if (creds_from_json(doc, "SessionToken", 0, out, err, errlen) == 0)
		rc = 0;
out:
	json_wipe_delete(doc);
	return rc;
}

static int
wait_exit(pid_t pid, const char *cmd, char *err, size_t errlen)
{
	int status;

	while (waitpid(pid, &status, 0) == -1)
		if (errno != EINTR) {
			snprintf(err, errlen, "waitpid: %s", strerror(errno));
			return -1;
		}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		snprintf(err, errlen, "credential_process '%.64s' exited with "
		    "status %d", cmd, WEXITSTATUS(status));
	else
		snprintf(err, errlen, "credential_process '%.64s' was killed "
		    "by signal %d", cmd, WTERMSIG(status));
	return -1;
}

int
fetch_process(struct creds_provider *p, const struct source *s,
    struct creds *out, char *err, size_t errlen)
{
	char **argv;
	size_t argc;
	struct buf b;
	pid_t pid;
	int fd, rc;

	if (shlex_split(s->command, &argv, &argc, err, errlen) == -1)
		return -1;
	if (argc == 0) {
		free(argv);
		snprintf(err, errlen, "credential_process is empty");
		return -1;
	}
	if ((pid = spawn(argv, &fd, err, errlen)) == -1) {
		free(argv);
		return -1;
	}
	buf_init(&b, CREDS_MAX_RESPONSE);
	rc = read_until(fd, p->opt.process_timeout_ms, &b, err, errlen);
	close(fd);
	if (rc != 0) {
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) == -1 && errno == EINTR)
			;
		if (rc == 1)
			snprintf(err, errlen, "credential_process '%.64s' did "
			    "not finish within %ld ms", argv[0],
			    p->opt.process_timeout_ms);
		rc = -1;
	} else if ((rc = wait_exit(pid, argv[0], err, errlen)) == 0) {
		rc = creds_process_parse(b.data, b.len, out, err, errlen);
	}
	buf_wipe(&b);
	free(argv);
	return rc;
}
