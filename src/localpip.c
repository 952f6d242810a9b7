/*
 * localpip.c - requirements.txt as the toolkit installs it (§6.8), into a
 * virtual environment of the job that sees the system's packages
 * (python3 -m venv --system-site-packages), kept across runs under the
 * SHA-256 of the file.  Requirements that are already satisfied need no
 * package index, so an offline run works; pip is asked only for the rest,
 * and what stays unsatisfied is named.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crypto.h"
#include "local.h"

#define REQUIREMENTS_MAX (1024 * 1024)	/* requirements.txt */
#define UNSATISFIED_MAX 65536		/* the names we report */

extern char **environ;

/*
 * Which requirement lines does the installed set not satisfy?  One per
 * line on stdout; options (-e, -r, --index-url) count as unsatisfied, so
 * that pip sees them.
 */
static const char check_py[] =
	"import sys\n"
	"from importlib import metadata\n"
	"from pip._vendor.packaging.requirements import Requirement\n"
	"bad = []\n"
	"for line in open(sys.argv[1], encoding='utf-8'):\n"
	"    line = line.split(' #', 1)[0].strip()\n"
	"    if not line or line.startswith('#'):\n"
	"        continue\n"
	"    try:\n"
	"        r = Requirement(line)\n"
	"        if r.marker is not None and not r.marker.evaluate():\n"
	"            continue\n"
	"        v = metadata.version(r.name)\n"
	"        if not r.specifier.contains(v, prereleases=True):\n"
	"            bad.append(line)\n"
	"    except Exception:\n"
	"        bad.append(line)\n"
	"print('\\n'.join(bad))\n";

/* Run ARGV in CWD with ENVP (NULL: ours); its stdout into OUT when OUT is
 * not NULL. */
static int
run_wait(char *const argv[], const char *cwd, struct buf *out,
    char *const envp[])
{
	posix_spawn_file_actions_t fa;
	int fd[2] = { -1, -1 }, st, rc;
	char chunk[4096];
	ssize_t n;
	pid_t pid;

	if (out != NULL && pipe2(fd, O_CLOEXEC) == -1)
		return accel_err("cannot create a pipe:");
	posix_spawn_file_actions_init(&fa);
	if (cwd != NULL)
		posix_spawn_file_actions_addchdir_np(&fa, cwd);
	if (out != NULL)
		posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);
	else	/* pip's chatter goes where the job's output goes */
		posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO,
		    STDOUT_FILENO);
	fflush(NULL);
	rc = posix_spawn(&pid, argv[0], &fa, NULL, argv,
	    envp != NULL ? envp : environ);
	posix_spawn_file_actions_destroy(&fa);
	if (out != NULL) {
		close(fd[1]);
		while (rc == 0 && (n = read(fd[0], chunk, sizeof chunk)) != 0)
			if (n > 0 && buf_append(out, chunk, (size_t)n) == -1)
				break;
		close(fd[0]);
	}
	if (rc != 0) {
		errno = rc;
		return accel_err("cannot run '%s':", argv[0]);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			return accel_err("cannot wait for '%s':", argv[0]);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int
unsatisfied(const char *python, const char *reqs, struct buf *bad)
{
	char *argv[] = { (char *)python, "-c", (char *)check_py,
	    (char *)reqs, NULL };

	buf_init(bad, UNSATISFIED_MAX);
	buf_puts(bad, "");
	if (run_wait(argv, NULL, bad, NULL) != 0) {
		buf_free(bad);
		return accel_err("cannot check '%s' with '%s'", reqs, python);
	}
	while (bad->len > 0 && bad->data[bad->len - 1] == '\n')
		bad->data[--bad->len] = '\0';
	if (bad->len > 0)
		return 1;	/* BAD names them; the caller frees it */
	buf_free(bad);
	return 0;
}

static int
make_venv(const char *python, const char *dir)
{
	char *argv[] = { (char *)python, "-m", "venv",
	    "--system-site-packages", "--without-pip", (char *)dir, NULL };

	if (rmtree(dir) == -1)
		return -1;
	if (run_wait(argv, NULL, NULL, NULL) != 0)
		return accel_err("'%s -m venv' failed for '%s'", python, dir);
	return 0;
}

/*
 * pip install -r, then name what is still missing.  Building a package
 * runs its code, so pip gets the credentials the script gets, no more.
 */
static int
install(const struct local_job *job, const char *vpython, const char *code,
    const char *reqs)
{
	char *argv[] = { (char *)vpython, "-m", "pip", "install", "-r",
	    "requirements.txt", NULL };
	struct buf bad;
	char **envp;
	int n;

	if ((n = unsatisfied(vpython, reqs, &bad)) <= 0)
		return n;
	buf_free(&bad);
	if ((envp = local_tool_environ(job)) == NULL)
		return -1;
	run_wait(argv, code, NULL, envp);
	local_strv_free(envp);
	if ((n = unsatisfied(vpython, reqs, &bad)) <= 0)
		return n;
	for (char *p = bad.data; *p != '\0'; p++)
		if (*p == '\n')
			*p = ',';
	accel_err("requirements not satisfied (no package index could "
	    "provide them): %s", bad.data);
	buf_free(&bad);
	return -1;
}

/* Does TEXT name any requirement (a line that is not blank or a comment)? */
static int
has_requirements(const char *text)
{
	for (const char *p = text; *p != '\0'; p += strcspn(p, "\n"),
	    p += *p == '\n') {
		p += strspn(p, " \t\r");
		if (*p != '#' && *p != '\n' && *p != '\0')
			return 1;
	}
	return 0;
}

/*
 * local_install: the interpreter for the job into OUT: PYTHON itself when
 * code/ has no requirements.txt, or one without requirements, or the entry
 * point is a command (the toolkit installs nothing for those); else the
 * cached venv's python.
 */
int
local_install(const struct local_job *job, const char *python, char *out,
    size_t size)
{
	char code[PATH_MAX], reqs[PATH_MAX], dir[PATH_MAX], vpy[PATH_MAX];
	char ok[PATH_MAX], hex[SHA256_HEX_LEN + 1];
	size_t n = strlen(job->entry);
	struct buf text;
	int fd;

	if (xsnprintf(code, sizeof code, "%s/code", job->base) == -1 ||
	    xsnprintf(reqs, sizeof reqs, "%s/requirements.txt", code) == -1)
		return accel_err("the job root path is too long");
	if (access(reqs, F_OK) == -1 || n < 3 || strcmp(job->entry + n - 3,
	    ".py") != 0)
		return xsnprintf(out, size, "%s", python);
	if (read_file(reqs, REQUIREMENTS_MAX, &text) == -1)
		return -1;
	if (!has_requirements(text.data)) {
		buf_free(&text);
		return xsnprintf(out, size, "%s", python);
	}
	if (sha256_hex(text.data, text.len, hex) == -1) {
		buf_free(&text);
		return accel_err("cannot hash '%s'", reqs);
	}
	buf_free(&text);
	if (xsnprintf(dir, sizeof dir, "%s/venv/%.16s", job->root, hex) ==
	    -1 || xsnprintf(vpy, sizeof vpy, "%s/bin/python", dir) == -1 ||
	    xsnprintf(ok, sizeof ok, "%s/.accel-installed", dir) == -1)
		return accel_err("the job root path is too long");
	if (access(ok, F_OK) == 0)
		return xsnprintf(out, size, "%s", vpy);
	if (mkdirs(job->root) == -1 || make_venv(python, dir) == -1 ||
	    install(job, vpy, code, reqs) == -1)
		return -1;
	if ((fd = open(ok, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) == -1)
		return accel_err("cannot create '%s':", ok);
	close(fd);
	return xsnprintf(out, size, "%s", vpy);
}
