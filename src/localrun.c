/*
 * localrun.c - run the hosts of a job and supervise them as SageMaker does:
 * each host is a process group of its own; its output is passed through
 * (prefixed with the host name when there are several); SIGINT or SIGTERM
 * stops the job like StopTrainingJob (SIGTERM to every group, SIGKILL
 * after the grace period); a host that fails stops the others; whatever a
 * host leaves behind is killed when it ends, as when a container goes
 * away.
 *
 * Each host runs under a shim, a forked copy of us that stands where the
 * container's init would: it leads the host's process group, is a child
 * subreaper, and when the host ends, or when we die (even by SIGKILL: its
 * parent-death signal), it kills everything the host left, in any group
 * or session (localsweep.c), then ends as the host ended.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "local.h"

#define CAPTURE_MAX (1024 * 1024)	/* stderr kept per host for the excerpt */
#define EXCERPT_MAX (64 * 1024)		/* ErrorMessage text */
#define LINE_MAX_PREFIXED 65536		/* a prefixed line is cut here */
#define DRAIN_MS 1000			/* output after every host ended */
#define SWEEP_MS 10000			/* killing what a job left */
#define SHIM_ORPHANED SIGHUP		/* the shim's parent-death signal */

struct host {
	pid_t pid;			/* 0 once reaped */
	int status;
	int fd[2];			/* stdout, stderr pipes; -1 at EOF */
	struct buf line[2];		/* partial lines when prefixing */
	struct buf err;			/* captured stderr */
};

static volatile sig_atomic_t got_stop;

static void
on_stop(int sig)
{
	(void)sig;
	got_stop++;
}

static void
on_child(int sig)
{
	(void)sig;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
write_all(int fd, const char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		p += w;
		n -= (size_t)w;
	}
}

static void
child_exec(char *const argv[], char *const envp[], const char *cwd,
    const sigset_t *mask)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	signal(SHIM_ORPHANED, SIG_DFL);
	sigprocmask(SIG_SETMASK, mask, NULL);
	if (chdir(cwd) == -1) {
		accel_err("cannot enter '%s':", cwd);
		_exit(126);
	}
	execve(argv[0], argv, envp);
	accel_err("cannot run '%s':", argv[0]);
	_exit(errno == ENOENT ? 127 : 126);
}

/* End as the host ended: its exit status, or its signal (no core). */
static void
shim_exit(int st)
{
	struct rlimit none = { 0, 0 };
	sigset_t all;

	if (WIFEXITED(st))
		_exit(WEXITSTATUS(st));
	setrlimit(RLIMIT_CORE, &none);
	signal(WTERMSIG(st), SIG_DFL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	raise(WTERMSIG(st));
	_exit(128 + WTERMSIG(st));
}

/*
 * The shim (see the top).  Stop signals sent to the group are the host's
 * to act on; the shim ignores them.  Its parent-death signal is only a
 * wake-up: getppid() decides, which also covers a parent that died before
 * the signal was set and a SIGHUP sent to the group while we live.  The
 * signals it waits for are blocked but inside sigsuspend, so none is lost.
 */
static void
shim(char *const argv[], char *const envp[], const char *cwd, int out,
    int err, const sigset_t *exec_mask, pid_t parent)
{
	struct sigaction sa = { 0 };
	sigset_t block, wait_mask;
	pid_t self = getpid(), host;
	int st = 0;

	setpgid(0, 0);
	if (dup2(out, STDOUT_FILENO) == -1 || dup2(err, STDERR_FILENO) == -1)
		_exit(126);
	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SHIM_ORPHANED);
	sigprocmask(SIG_BLOCK, &block, &wait_mask);
	sigdelset(&wait_mask, SIGCHLD);
	sigdelset(&wait_mask, SHIM_ORPHANED);
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	sa.sa_handler = on_child;	/* a handler, so sigsuspend wakes */
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SHIM_ORPHANED, &sa, NULL);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	prctl(PR_SET_PDEATHSIG, SHIM_ORPHANED);
	if (getppid() != parent)
		_exit(128 + SIGKILL);
	if ((host = fork()) == -1) {
		accel_err("cannot fork:");
		_exit(126);
	}
	if (host == 0) {
		/* dies with the shim, which may have died already */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != self)
			_exit(128 + SIGKILL);
		child_exec(argv, envp, cwd, exec_mask);
	}
	while (waitpid(host, &st, WNOHANG) != host) {
		if (getppid() != parent) {
			local_sweep(SWEEP_MS);
			_exit(128 + SIGKILL);
		}
		sigsuspend(&wait_mask);
	}
	local_sweep(SWEEP_MS);
	shim_exit(st);
}

static int
start_host(struct host *h, char *const argv[], char *const envp[],
    const char *cwd, const sigset_t *mask)
{
	pid_t self = getpid();
	int out[2], err[2];

	if (pipe2(out, O_CLOEXEC) == -1)
		return accel_err("cannot create a pipe:");
	if (pipe2(err, O_CLOEXEC) == -1) {
		close(out[0]);
		close(out[1]);
		return accel_err("cannot create a pipe:");
	}
	fflush(NULL);
	h->pid = fork();
	if (h->pid == 0) {
		close(out[0]);
		close(err[0]);
		shim(argv, envp, cwd, out[1], err[1], mask, self);
	}
	close(out[1]);
	close(err[1]);
	if (h->pid == -1) {
		close(out[0]);
		close(err[0]);
		h->pid = 0;
		return accel_err("cannot fork:");
	}
	setpgid(h->pid, h->pid);	/* either side may win the race */
	h->fd[0] = out[0];
	h->fd[1] = err[0];
	return 0;
}

static void
put_line(int fd, const char *prefix, const char *p, size_t n, int newline)
{
	write_all(fd, prefix, strlen(prefix));
	write_all(fd, p, n);
	if (newline)
		write_all(fd, "\n", 1);
}

/*
 * Several hosts: whole lines, each behind "algo-N | ".  A line longer than
 * LINE_MAX_PREFIXED is cut into pieces, each on a line of its own.
 */
static void
emit_prefixed(struct host *h, int host, int stream, const char *p, size_t n,
    int flush)
{
	struct buf *l = &h->line[stream];
	int fd = stream == 0 ? STDOUT_FILENO : STDERR_FILENO;
	char prefix[32];
	const char *nl;
	size_t len;

	snprintf(prefix, sizeof prefix, "algo-%d | ", host);
	while (n > 0) {
		nl = memchr(p, '\n', n);
		len = nl != NULL ? (size_t)(nl - p) + 1 : n;
		if (l->len + len > LINE_MAX_PREFIXED) {
			if (l->len > 0)
				put_line(fd, prefix, l->data, l->len, 1);
			l->len = 0;
			if (len > LINE_MAX_PREFIXED) {
				put_line(fd, prefix, p, len, nl == NULL);
				p += len;
				n -= len;
				continue;
			}
		}
		if (nl != NULL) {
			write_all(fd, prefix, strlen(prefix));
			if (l->len > 0)
				write_all(fd, l->data, l->len);
			write_all(fd, p, len);
			l->len = 0;
		} else if (buf_append(l, p, len) == -1) {
			buf_init(l, LINE_MAX_PREFIXED);	/* cannot happen */
		}
		p += len;
		n -= len;
	}
	if (flush && l->len > 0) {
		put_line(fd, prefix, l->data, l->len, 1);
		l->len = 0;
	}
}

static void
read_stream(struct host *h, int host, int stream, int prefixed)
{
	char chunk[65536];
	ssize_t n = read(h->fd[stream], chunk, sizeof chunk);

	if (n < 0 && errno == EINTR)
		return;
	if (n <= 0) {
		close(h->fd[stream]);
		h->fd[stream] = -1;
		if (prefixed)
			emit_prefixed(h, host, stream, NULL, 0, 1);
		return;
	}
	if (stream == 1 && h->err.data != NULL &&
	    h->err.len + (size_t)n <= CAPTURE_MAX)
		buf_append(&h->err, chunk, (size_t)n);
	if (prefixed)
		emit_prefixed(h, host, stream, chunk, (size_t)n, 0);
	else
		write_all(stream == 0 ? STDOUT_FILENO : STDERR_FILENO, chunk,
		    (size_t)n);
}

static void
signal_all(struct host *hs, int n, int sig)
{
	for (int i = 0; i < n; i++)
		if (hs[i].pid > 0)
			kill(-hs[i].pid, sig);
}

/*
 * Reap the hosts that ended.  While a host is a zombie its process group
 * id cannot be reused, so what it left in its group is killed first; as
 * the child subreaper we inherit those processes and wait for every one,
 * so none outlives the job.
 */
static int
reap(struct host *hs, int n)
{
	siginfo_t si;
	int st, ended = 0;

	for (int i = 0; i < n; i++) {
		if (hs[i].pid <= 0)
			continue;
		memset(&si, 0, sizeof si);
		if (waitid(P_PID, (id_t)hs[i].pid, &si,
		    WEXITED | WNOHANG | WNOWAIT) == -1 || si.si_pid == 0)
			continue;
		kill(-hs[i].pid, SIGKILL);
		if (waitpid(hs[i].pid, &st, 0) == -1)
			continue;
		hs[i].status = WIFEXITED(st) ? WEXITSTATUS(st) :
		    128 + WTERMSIG(st);
		while (waitpid(-hs[i].pid, &st, 0) > 0 || errno == EINTR)
			;
		hs[i].pid = 0;
		ended++;
	}
	return ended;
}

/* Lines that name an error start the excerpt (the toolkit's rule, §6.12). */
static int
error_line(const char *s, size_t n)
{
	static const char *const names[] = { "Error", "Exception",
	    "Interrupt", "SystemExit", "StopIteration", "Warning",
	    "mpirun.real", "ORTE" };

	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (memmem(s, n, names[i], strlen(names[i])) != NULL)
			return 1;
	return 0;
}

/* From the first error line on, duplicates dropped, joined by "\n". */
static char *
excerpt(const struct buf *err)
{
	const char *p, *end, *nl, *q;
	struct buf out;
	int started = 0;

	if (err->data == NULL)
		return NULL;
	buf_init(&out, EXCERPT_MAX);
	if (buf_puts(&out, "") == -1)
		return NULL;
	end = err->data + err->len;
	for (p = err->data; p < end; p = nl + 1) {
		size_t n;

		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		n = (size_t)(nl - p);
		if (!started && !error_line(p, n))
			continue;
		started = 1;
		/* a line seen before is dropped */
		for (q = out.data; q != NULL && *q != '\0'; q += strcspn(q,
		    "\n") + (q[strcspn(q, "\n")] == '\n'))
			if (strncmp(q, p, n) == 0 && (q[n] == '\n' ||
			    q[n] == '\0'))
				break;
		if (q != NULL && *q != '\0')
			continue;
		if ((out.len > 0 && buf_putc(&out, '\n') == -1) ||
		    buf_append(&out, p, n) == -1)
			break;	/* past the cap: what we have */
	}
	return out.data;
}

static int
open_fds(const struct host *hs, int n, struct pollfd *pf, int *who)
{
	int k = 0;

	for (int i = 0; i < n; i++)
		for (int s = 0; s < 2; s++)
			if (hs[i].fd[s] != -1) {
				pf[k].fd = hs[i].fd[s];
				pf[k].events = POLLIN;
				who[k++] = i * 2 + s;
			}
	return k;
}

struct watch {
	int alive, stopping, failed_host, killed;
	long long deadline, drain_until;
	int grace;
};

/* What a signal, a failure or the clock asks of the hosts now. */
static void
react(struct host *hs, int n, struct watch *w)
{
	if (got_stop > 0 && !w->stopping) {
		w->stopping = 1;
		signal_all(hs, n, SIGTERM);
		w->deadline = now_ms() + (long long)w->grace * 1000;
	}
	if (got_stop > 1 && !w->killed) {	/* a second Ctrl-C */
		signal_all(hs, n, SIGKILL);
		w->killed = 1;
	}
	if (w->failed_host == 0)
		for (int i = 0; i < n; i++)
			if (hs[i].pid == 0 && hs[i].status != 0) {
				w->failed_host = i + 1;
				signal_all(hs, n, SIGTERM);
				w->deadline = now_ms() +
				    (long long)w->grace * 1000;
				break;
			}
	if (w->deadline > 0 && !w->killed && now_ms() >= w->deadline) {
		signal_all(hs, n, SIGKILL);
		w->killed = 1;
	}
}

static int
poll_timeout(const struct watch *w)
{
	long long t, now = now_ms();

	if (w->alive == 0)
		t = w->drain_until - now;
	else if (w->deadline > 0 && !w->killed)
		t = w->deadline - now;
	else
		return -1;
	return t < 0 ? 0 : (int)t;
}

static void
supervise(struct host *hs, int n, struct watch *w, const sigset_t *open_mask)
{
	struct pollfd pf[2 * LOCAL_MAX_HOSTS];
	int who[2 * LOCAL_MAX_HOSTS], k, to;
	struct timespec ts, *tp;

	for (;;) {
		w->alive -= reap(hs, n);
		react(hs, n, w);
		if (w->alive == 0 && w->drain_until == 0)
			w->drain_until = now_ms() + DRAIN_MS;
		k = open_fds(hs, n, pf, who);
		if (w->alive == 0 && (k == 0 || now_ms() >= w->drain_until))
			return;
		to = poll_timeout(w);
		ts.tv_sec = to / 1000;
		ts.tv_nsec = (long)(to % 1000) * 1000000;
		tp = to < 0 ? NULL : &ts;
		if (ppoll(pf, (nfds_t)k, tp, open_mask) <= 0)
			continue;
		for (int i = 0; i < k; i++)
			if (pf[i].revents != 0)
				read_stream(&hs[who[i] / 2], who[i] / 2 + 1,
				    who[i] % 2, n > 1);
	}
}

static void
result(struct host *hs, int n, const struct watch *w, struct local_result *res)
{
	memset(res, 0, sizeof *res);
	res->outcome = LOCAL_COMPLETED;
	if (w->stopping) {
		res->outcome = LOCAL_STOPPED;
	} else if (w->failed_host > 0) {
		res->outcome = LOCAL_FAILED;
		res->host = w->failed_host;
		res->status = hs[w->failed_host - 1].status;
		res->excerpt = excerpt(&hs[w->failed_host - 1].err);
	}
	for (int i = 0; i < n; i++) {
		for (int s = 0; s < 2; s++) {
			if (hs[i].fd[s] != -1)
				close(hs[i].fd[s]);
			buf_free(&hs[i].line[s]);
		}
		buf_free(&hs[i].err);
	}
}

int
local_run(char **const argv[], char **const envp[], const char *cwd[],
    int nhosts, int grace, struct local_result *res)
{
	struct host hs[LOCAL_MAX_HOSTS];
	struct watch w = { 0 };
	struct sigaction sa = { 0 };
	sigset_t block, old;
	int i, rc = 0;

	memset(hs, 0, sizeof hs);
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_child;
	sigaction(SIGCHLD, &sa, NULL);
	/* a closed stdout must not kill us and orphan the hosts */
	signal(SIGPIPE, SIG_IGN);
	w.grace = grace;
	/* orphans of the hosts become ours, to be reaped (see reap) */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	for (i = 0; i < nhosts; i++) {
		hs[i].fd[0] = hs[i].fd[1] = -1;
		buf_init(&hs[i].line[0], LINE_MAX_PREFIXED);
		buf_init(&hs[i].line[1], LINE_MAX_PREFIXED);
		buf_init(&hs[i].err, CAPTURE_MAX);
		buf_puts(&hs[i].err, "");
	}
	for (i = 0; i < nhosts && rc == 0; i++) {
		rc = start_host(&hs[i], argv[i], envp[i], cwd[i], &old);
		if (rc == 0)
			w.alive++;
	}
	if (rc == -1)	/* the ones started are stopped at once */
		got_stop = 1;
	supervise(hs, nhosts, &w, &old);
	/* what escaped a shim killed at the grace period's end is ours */
	local_sweep(SWEEP_MS);
	result(hs, nhosts, &w, res);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}
