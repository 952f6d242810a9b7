/*
 * localsweep.c - kill every process a job left behind, as SageMaker's
 * container teardown does.  A process group does not hold them all: a
 * child may start a session of its own (setsid, start_new_session=True)
 * or double-fork into a daemon.  The caller is a child subreaper
 * (PR_SET_CHILD_SUBREAPER), so such orphans become its children instead
 * of init's; the sweep finds every descendant through /proc's parent
 * links, kills it, reaps what becomes its child, and goes round again
 * until none is left.  A cgroup (cgroup.kill) would be exact, but needs
 * a delegated cgroup v2 tree, which a user's shell seldom has.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "local.h"

#define SWEEP_MAX_DEPTH 4096		/* parent links followed */
#define SWEEP_PAUSE_NS 2000000L		/* between rounds: the kernel's
					   time to deliver SIGKILL */

/* The parent of PID from /proc/PID/stat, or -1. */
static pid_t
parent_of(pid_t pid)
{
	char path[64], text[1024], *p;
	ssize_t n;
	int fd;
	long pp;

	snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	n = read(fd, text, sizeof text - 1);
	close(fd);
	if (n <= 0)
		return -1;
	text[n] = '\0';
	/* "pid (comm) state ppid ...": comm may hold ") ", so the last */
	if ((p = strrchr(text, ')')) == NULL ||
	    sscanf(p + 1, " %*c %ld", &pp) != 1)
		return -1;
	return (pid_t)pp;
}

static int
descends_from(pid_t pid, pid_t ancestor)
{
	for (int depth = 0; depth < SWEEP_MAX_DEPTH && pid > 1; depth++) {
		pid = parent_of(pid);
		if (pid == ancestor)
			return 1;
	}
	return 0;
}

/* One round: SIGKILL to each descendant; how many there were. */
static int
kill_round(pid_t self)
{
	struct dirent *d;
	DIR *proc;
	char *end;
	long pid;
	int n = 0;

	if ((proc = opendir("/proc")) == NULL)
		return -1;
	while ((d = readdir(proc)) != NULL) {
		pid = strtol(d->d_name, &end, 10);
		if (*end != '\0' || pid <= 1 || pid == (long)self)
			continue;
		if (descends_from((pid_t)pid, self)) {
			kill((pid_t)pid, SIGKILL);
			n++;
		}
	}
	closedir(proc);
	return n;
}

int
local_sweep(int timeout_ms)
{
	struct timespec pause = { 0, SWEEP_PAUSE_NS };
	pid_t self = getpid();
	long rounds = (long)timeout_ms * 1000000L / SWEEP_PAUSE_NS + 1;
	int n = 0, st;

	for (long r = 0; r < rounds; r++) {
		/* zombies count until reaped: the round ends with none */
		while (waitpid(-1, &st, WNOHANG) > 0)
			;
		if ((n = kill_round(self)) <= 0)
			return n == 0 ? 0 : accel_err("cannot read /proc:");
		nanosleep(&pause, NULL);
	}
	while (waitpid(-1, &st, WNOHANG) > 0)
		;
	return accel_err("%d processes of the job would not die", n);
}
