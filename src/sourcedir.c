/* sourcedir.c - the deterministic sourcedir.tar.gz (see sourcedir.h). */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "sourcedir.h"
#include "srctree.h"

/* A gzip stream ends up no larger than this (deflate's worst case is
 * a few bytes per 16 KiB above the input, and the input is capped). */
#define ARCHIVE_MAX_GZ (ARCHIVE_LIMIT_BYTES + (ARCHIVE_LIMIT_BYTES >> 8) + \
	(1ULL << 26))

/*
 * RFC 1952 header: no FNAME, MTIME 0, XFL 2 (best compression), OS 3
 * (Unix) on every system: the bytes of `gzip -9n` and of Python 3.11's
 * gzip.compress(data, 9, mtime=0).
 */
static const unsigned char gzip_header[10] = {
	0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3
};

/* Where libarchive's tar bytes go: hashed, then deflated into gz. */
struct sink {
	struct sha256_ctx *tar_sha;
	z_stream z;
	uLong crc;
	uLong isize;
	struct buf *gz;
	int failed;
};

static int
deflate_into(struct sink *s, const void *p, size_t n, int flush)
{
	unsigned char out[65536];
	int zrc;

	s->z.next_in = (Bytef *)(uintptr_t)p;
	s->z.avail_in = (uInt)n;
	do {
		s->z.next_out = out;
		s->z.avail_out = sizeof out;
		zrc = deflate(&s->z, flush);
		if (zrc == Z_STREAM_ERROR)
			return -1;
		if (buf_append(s->gz, out, sizeof out - s->z.avail_out) == -1)
			return -1;
	} while (s->z.avail_out == 0 || (flush == Z_FINISH &&
	    zrc != Z_STREAM_END));
	return 0;
}

static la_ssize_t
sink_write(struct archive *a, void *data, const void *p, size_t n)
{
	struct sink *s = data;

	/* libarchive writes whole blocks: far below uInt's range */
	if (sha256_update(s->tar_sha, p, n) == -1 ||
	    deflate_into(s, p, n, Z_NO_FLUSH) == -1) {
		s->failed = 1;
		archive_set_error(a, EFBIG, "cannot compress the archive");
		return -1;
	}
	s->crc = crc32(s->crc, p, (uInt)n);
	s->isize += (uLong)n;
	return (la_ssize_t)n;
}

static int
put_le32(struct buf *b, uLong v)
{
	unsigned char le[4] = {
		(unsigned char)v, (unsigned char)(v >> 8),
		(unsigned char)(v >> 16), (unsigned char)(v >> 24)
	};

	return buf_append(b, le, 4);
}

/* Copies exactly E->size bytes of E->from into the archive. */
static int
write_file_data(struct archive *a, const struct src_entry *e)
{
	char chunk[65536];
	unsigned long long left = e->size;
	ssize_t n;
	int fd = open(e->from, O_RDONLY | O_CLOEXEC);

	if (fd == -1)
		return accel_err("cannot open '%s':", e->from);
	while (left > 0) {
		n = read(fd, chunk, left < sizeof chunk ? left : sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				accel_err("cannot read '%s': it changed while "
				    "being archived", e->from);
			else
				accel_err("cannot read '%s':", e->from);
			close(fd);
			return -1;
		}
		if (archive_write_data(a, chunk, (size_t)n) != n) {
			accel_err("cannot archive '%s': %s", e->path,
			    archive_error_string(a));
			close(fd);
			return -1;
		}
		left -= (unsigned long long)n;
	}
	close(fd);
	return 0;
}

static int
write_entry(struct archive *a, struct archive_entry *ae,
    const struct src_entry *e)
{
	archive_entry_clear(ae);
	archive_entry_set_pathname(ae, e->path);
	archive_entry_set_filetype(ae, e->is_dir ? AE_IFDIR : AE_IFREG);
	archive_entry_set_perm(ae, e->mode);
	archive_entry_set_size(ae, (la_int64_t)e->size);
	archive_entry_set_mtime(ae, ARCHIVE_MTIME, 0);
	archive_entry_set_uid(ae, 0);
	archive_entry_set_gid(ae, 0);
	if (archive_write_header(a, ae) != ARCHIVE_OK)
		return accel_err("cannot archive '%s': %s", e->path,
		    archive_error_string(a));
	return e->is_dir ? 0 : write_file_data(a, e);
}

static int
write_tar(const struct src_tree *t, struct sink *s)
{
	struct archive *a = archive_write_new();
	struct archive_entry *ae = archive_entry_new();
	int rc = -1;

	if (a == NULL || ae == NULL) {
		accel_err("cannot create the archive:");
		goto out;
	}
	if (archive_write_set_format_pax_restricted(a) != ARCHIVE_OK ||
	    archive_write_add_filter_none(a) != ARCHIVE_OK ||
	    archive_write_open(a, s, NULL, sink_write, NULL) != ARCHIVE_OK) {
		accel_err("cannot create the archive: %s",
		    archive_error_string(a));
		goto out;
	}
	for (size_t i = 0; i < t->n; i++)
		if (write_entry(a, ae, &t->v[i]) == -1)
			goto out;
	if (archive_write_close(a) != ARCHIVE_OK) {
		accel_err("cannot finish the archive: %s",
		    archive_error_string(a));
		goto out;
	}
	rc = 0;
out:
	archive_entry_free(ae);
	archive_write_free(a);
	return rc;
}

/*
 * libarchive converts names from the locale's charset to the UTF-8 of pax
 * headers; in the C locale it refuses any non-ASCII name.  File names are
 * taken as UTF-8 whatever the caller's locale, for this thread only.
 */
static int
write_tar_utf8(const struct src_tree *t, struct sink *s)
{
	locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	locale_t old = utf8 != (locale_t)0 ? uselocale(utf8) : (locale_t)0;
	int rc = write_tar(t, s);

	if (utf8 != (locale_t)0) {
		uselocale(old);
		freelocale(utf8);
	}
	return rc;
}

static int
compress_tree(const struct src_tree *t, struct archive_result *res)
{
	unsigned char md[SHA256_LEN];
	struct sink s;
	int rc = -1;

	memset(&s, 0, sizeof s);
	s.gz = &res->gz;
	s.crc = crc32(0, Z_NULL, 0);
	if (buf_append(s.gz, gzip_header, sizeof gzip_header) == -1)
		return accel_err("cannot create the archive:");
	s.tar_sha = sha256_new();
	if (s.tar_sha == NULL)
		return accel_err("cannot create the archive:");
	if (deflateInit2(&s.z, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK) {
		sha256_free(s.tar_sha);
		return accel_err("cannot create the archive: zlib failed");
	}
	if (write_tar_utf8(t, &s) == -1)
		goto out;
	if (deflate_into(&s, "", 0, Z_FINISH) == -1 ||
	    put_le32(s.gz, s.crc) == -1 || put_le32(s.gz, s.isize) == -1) {
		accel_err("cannot compress the archive: larger than %llu "
		    "bytes", ARCHIVE_MAX_GZ);
		goto out;
	}
	rc = sha256_final(s.tar_sha, md);
	s.tar_sha = NULL;
	if (rc == 0) {
		hex_encode(md, sizeof md, res->tar_sha256);
		rc = sha256_hex(s.gz->data, s.gz->len, res->gz_sha256);
	}
	if (rc == -1)
		accel_err("cannot hash the archive");
out:
	if (s.tar_sha != NULL)
		sha256_free(s.tar_sha);
	deflateEnd(&s.z);
	return rc;
}

int
archive_build(const struct archive_opts *opts, struct archive_result *res)
{
	struct src_tree t = { NULL, 0, 0, 0, 0 };

	memset(res, 0, sizeof *res);
	buf_init(&res->gz, ARCHIVE_MAX_GZ);
	if (src_tree_collect(opts, &t) == -1)
		return -1;
	if (compress_tree(&t, res) == -1) {
		src_tree_free(&t);
		archive_result_free(res);
		return -1;
	}
	res->files = t.files;
	res->bytes = t.bytes;
	src_tree_free(&t);
	return 0;
}

void
archive_result_free(struct archive_result *res)
{
	buf_free(&res->gz);
}
