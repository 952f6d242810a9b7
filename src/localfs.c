/* localfs.c - make and remove directory trees for the job root. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "local.h"

/* mkdir -p PATH.  Returns 0 or -1 with a message. */
int
mkdirs(const char *path)
{
	char tmp[PATH_MAX];
	char *p;

	if (xsnprintf(tmp, sizeof tmp, "%s", path) == -1) {
		errno = ENAMETOOLONG;
		return accel_err("cannot create '%s':", path);
	}
	for (p = tmp + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		if (mkdir(tmp, 0777) == -1 && errno != EEXIST)
			return accel_err("cannot create '%s':", tmp);
		*p = c;
		if (c == '\0')
			return 0;
	}
}

static int
remove_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	if (remove(path) == -1 && errno != ENOENT)
		return accel_err("cannot remove '%s':", path);
	return 0;
}

/* rm -rf PATH, never following symbolic links.  Returns 0 or -1. */
int
rmtree(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : accel_err("cannot stat '%s':", path);
	if (!S_ISDIR(st.st_mode))
		return remove_one(path, &st, 0, NULL);
	return nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
}

/*
 * write_fresh: PATH, which must not exist, gets DATA.  For the files of a
 * job tree, made anew each run in directories just created: there is no
 * old version to keep whole, so no temporary file and no fsync (which cost
 * more than the rest of a run on some file systems).
 */
int
write_fresh(const char *path, const void *data, size_t len)
{
	const char *p = data;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	ssize_t n;

	if (fd == -1)
		return accel_err("cannot create '%s':", path);
	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			accel_err("cannot write '%s':", path);
			close(fd);
			unlink(path);
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	if (close(fd) == -1) {
		unlink(path);
		return accel_err("cannot write '%s':", path);
	}
	return 0;
}
