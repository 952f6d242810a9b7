/* localhp.c - hyperparameter decoding and Python renderings. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "localhp.h"

#define HP_MAX_NUMBERS 4096	/* number tokens in one value (2500 chars) */
#define HP_MAX_DEPTH 64		/* nesting in one value */

/*
 * A strict checker for the JSON that Python's json.loads accepts, which
 * also records where each number token is so that the cJSON tree can keep
 * the int/float distinction cJSON itself loses.
 */
struct scan {
	const char *s;
	size_t pos;
	size_t nnum;
	size_t start[HP_MAX_NUMBERS], len[HP_MAX_NUMBERS];
};

static int scan_value(struct scan *, int);

static void
skip_ws(struct scan *sc)
{
	while (strchr(" \t\n\r", sc->s[sc->pos]) != NULL && sc->s[sc->pos])
		sc->pos++;
}

static int
scan_digits(struct scan *sc)
{
	size_t p = sc->pos;

	while (isdigit((unsigned char)sc->s[sc->pos]))
		sc->pos++;
	return sc->pos > p ? 0 : -1;
}

static int
scan_number(struct scan *sc)
{
	size_t start = sc->pos;

	if (sc->s[sc->pos] == '-')
		sc->pos++;
	if (sc->s[sc->pos] == '0')
		sc->pos++;
	else if (scan_digits(sc) == -1)
		return -1;
	if (sc->s[sc->pos] == '.') {
		sc->pos++;
		if (scan_digits(sc) == -1)
			return -1;
	}
	if (sc->s[sc->pos] == 'e' || sc->s[sc->pos] == 'E') {
		sc->pos++;
		if (sc->s[sc->pos] == '+' || sc->s[sc->pos] == '-')
			sc->pos++;
		if (scan_digits(sc) == -1)
			return -1;
	}
	if (sc->nnum == HP_MAX_NUMBERS)
		return -1;
	sc->start[sc->nnum] = start;
	sc->len[sc->nnum++] = sc->pos - start;
	return 0;
}

static int
scan_string(struct scan *sc)
{
	unsigned char c;

	sc->pos++;
	while ((c = (unsigned char)sc->s[sc->pos]) != '"') {
		if (c < 0x20)
			return -1;	/* also the end of the text */
		sc->pos++;
		if (c != '\\')
			continue;
		c = (unsigned char)sc->s[sc->pos++];
		if (c == 'u') {
			for (int i = 0; i < 4; i++)
				if (!isxdigit((unsigned char)sc->s[sc->pos++]))
					return -1;
		} else if (strchr("\"\\/bfnrt", c) == NULL || c == '\0') {
			return -1;
		}
	}
	sc->pos++;
	return 0;
}

static int
scan_word(struct scan *sc, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(sc->s + sc->pos, w, n) != 0)
		return -1;
	sc->pos += n;
	return 0;
}

static int
scan_list(struct scan *sc, int depth, char close, int keyed)
{
	sc->pos++;
	skip_ws(sc);
	if (sc->s[sc->pos] == close) {
		sc->pos++;
		return 0;
	}
	for (;;) {
		if (keyed) {
			skip_ws(sc);
			if (sc->s[sc->pos] != '"' || scan_string(sc) == -1)
				return -1;
			skip_ws(sc);
			if (sc->s[sc->pos++] != ':')
				return -1;
		}
		if (scan_value(sc, depth + 1) == -1)
			return -1;
		skip_ws(sc);
		if (sc->s[sc->pos] == close) {
			sc->pos++;
			return 0;
		}
		if (sc->s[sc->pos++] != ',')
			return -1;
	}
}

static int
scan_value(struct scan *sc, int depth)
{
	char c;

	if (depth > HP_MAX_DEPTH)
		return -1;
	skip_ws(sc);
	c = sc->s[sc->pos];
	if (c == '{')
		return scan_list(sc, depth, '}', 1);
	if (c == '[')
		return scan_list(sc, depth, ']', 0);
	if (c == '"')
		return scan_string(sc);
	if (c == '-' || isdigit((unsigned char)c))
		return scan_number(sc);
	if (scan_word(sc, "true") == 0 || scan_word(sc, "false") == 0 ||
	    scan_word(sc, "null") == 0)
		return 0;
	return -1;
}

/* Python's rendering of one number token. */
static cJSON *
number_node(const char *tok, size_t len)
{
	char text[400], num[32];

	if (len >= sizeof text)
		return NULL;
	memcpy(text, tok, len);
	text[len] = '\0';
	if (strpbrk(text, ".eE") != NULL) {
		json_format_double(strtod(text, NULL), num);
		return cJSON_CreateRaw(num);
	}
	if (strcmp(text, "-0") == 0)
		return cJSON_CreateRaw("0");
	return cJSON_CreateRaw(text);
}

/* Replace the numbers of TREE, in document order, by Raw nodes. */
static int
raw_numbers(cJSON *tree, const struct scan *sc, size_t *k)
{
	cJSON *c, *next, *r;

	if (cJSON_IsNumber(tree))
		return -1;	/* only reached for the root; handled by caller */
	for (c = tree->child; c != NULL; c = next) {
		next = c->next;
		if (!cJSON_IsNumber(c)) {
			if (raw_numbers(c, sc, k) == -1)
				return -1;
			continue;
		}
		if (*k >= sc->nnum)
			return -1;
		r = number_node(sc->s + sc->start[*k], sc->len[*k]);
		(*k)++;
		if (r != NULL) {	/* the key moves to the new node */
			r->string = c->string;
			c->string = NULL;
		}
		if (r == NULL || !cJSON_ReplaceItemViaPointer(tree, c, r)) {
			cJSON_Delete(r);
			return -1;
		}
	}
	return 0;
}

static cJSON *
decode_json(const char *s)
{
	struct scan *sc;
	cJSON *tree = NULL;
	size_t k = 0;

	if ((sc = calloc(1, sizeof *sc)) == NULL)
		return NULL;
	sc->s = s;
	if (scan_value(sc, 0) == -1)
		goto out;
	skip_ws(sc);
	if (sc->s[sc->pos] != '\0')
		goto out;
	if (sc->nnum == 1 && sc->start[0] == strspn(s, " \t\n\r")) {
		/* the whole value is one number */
		tree = number_node(s + sc->start[0], sc->len[0]);
		goto out;
	}
	tree = cJSON_Parse(s);
	if (tree != NULL && raw_numbers(tree, sc, &k) == -1) {
		cJSON_Delete(tree);
		tree = NULL;
	}
out:
	free(sc);
	return tree;
}

cJSON *
hp_decode(const char *s)
{
	static const char *special[] = { "NaN", "Infinity", "-Infinity" };
	cJSON *v;

	for (size_t i = 0; i < 3; i++)
		if (strcmp(s, special[i]) == 0)
			return cJSON_CreateRaw(s);
	if ((v = decode_json(s)) != NULL)
		return v;
	return cJSON_CreateString(s);
}

static int
cmp_keys(const void *a, const void *b)
{
	const cJSON *const *x = a, *const *y = b;

	return strcmp((*x)->string, (*y)->string);
}

/* The children of V, sorted by key when SORTED; NULL with *N 0 if none. */
static const cJSON **
children(const cJSON *v, int sorted, size_t *n)
{
	const cJSON **kids, *c;
	size_t i = 0;

	*n = 0;
	for (c = v->child; c != NULL; c = c->next)
		(*n)++;
	if (*n == 0)
		return NULL;
	if ((kids = calloc(*n, sizeof *kids)) == NULL)
		return NULL;
	for (c = v->child; c != NULL; c = c->next)
		kids[i++] = c;
	if (sorted && cJSON_IsObject(v))
		qsort(kids, *n, sizeof *kids, cmp_keys);
	return kids;
}

static int
json_container(struct buf *out, const cJSON *v, int tight)
{
	int obj = cJSON_IsObject(v);
	const cJSON **kids;
	size_t n, i;
	int rc;

	kids = children(v, tight, &n);
	if (n > 0 && kids == NULL)
		return -1;
	rc = buf_putc(out, obj ? '{' : '[');
	for (i = 0; rc == 0 && i < n; i++) {
		if (i > 0)
			rc = buf_puts(out, tight ? "," : ", ");
		if (rc == 0 && obj)
			rc = json_put_string(out, kids[i]->string,
			    strlen(kids[i]->string)) == 0 &&
			    buf_puts(out, tight ? ":" : ": ") == 0 ? 0 : -1;
		if (rc == 0)
			rc = hp_json(out, kids[i], tight);
	}
	free(kids);
	return rc == 0 ? buf_putc(out, obj ? '}' : ']') : -1;
}

int
hp_json(struct buf *out, const cJSON *v, int tight)
{
	char num[32];
	long long n;

	if (cJSON_IsNull(v))
		return buf_puts(out, "null");
	if (cJSON_IsTrue(v))
		return buf_puts(out, "true");
	if (cJSON_IsFalse(v))
		return buf_puts(out, "false");
	if (cJSON_IsRaw(v))
		return buf_puts(out, v->valuestring);
	if (cJSON_IsString(v))
		return json_put_string(out, v->valuestring,
		    strlen(v->valuestring));
	if (cJSON_IsNumber(v)) {
		if (json_int(v, LLONG_MIN, LLONG_MAX, &n) == 0)
			return buf_printf(out, "%lld", n);
		json_format_double(v->valuedouble, num);
		return buf_puts(out, num);
	}
	if (cJSON_IsArray(v) || cJSON_IsObject(v))
		return json_container(out, v, tight);
	errno = EINVAL;
	return -1;
}

/* Python repr(str): single quotes unless the text holds ' and no ". */
static int
py_repr_string(struct buf *out, const char *s)
{
	char q = strchr(s, '\'') != NULL && strchr(s, '"') == NULL ? '"' : '\'';
	int rc = buf_putc(out, q);

	for (; rc == 0 && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\' || c == (unsigned char)q)
			rc = buf_printf(out, "\\%c", c);
		else if (c == '\n')
			rc = buf_puts(out, "\\n");
		else if (c == '\r')
			rc = buf_puts(out, "\\r");
		else if (c == '\t')
			rc = buf_puts(out, "\\t");
		else if (c < 0x20 || c == 0x7f)
			rc = buf_printf(out, "\\x%02x", c);
		else
			rc = buf_putc(out, c);
	}
	return rc == 0 ? buf_putc(out, q) : -1;
}

/* Python's names for the floats json.dumps spells differently. */
static const char *
py_number(const char *raw)
{
	if (strcmp(raw, "Infinity") == 0)
		return "inf";
	if (strcmp(raw, "-Infinity") == 0)
		return "-inf";
	if (strcmp(raw, "NaN") == 0)
		return "nan";
	return raw;
}

/* Python repr() of a decoded value (lists and dicts in insertion order). */
static int
py_repr(struct buf *out, const cJSON *v)
{
	int obj = cJSON_IsObject(v);
	const cJSON *c;
	int rc;

	if (cJSON_IsString(v))
		return py_repr_string(out, v->valuestring);
	if (cJSON_IsNull(v))
		return buf_puts(out, "None");
	if (!cJSON_IsArray(v) && !obj)
		return hp_str(out, v);
	rc = buf_putc(out, obj ? '{' : '[');
	for (c = v->child; rc == 0 && c != NULL; c = c->next) {
		if (c != v->child)
			rc = buf_puts(out, ", ");
		if (rc == 0 && obj)
			rc = py_repr_string(out, c->string) == 0 &&
			    buf_puts(out, ": ") == 0 ? 0 : -1;
		if (rc == 0)
			rc = py_repr(out, c);
	}
	return rc == 0 ? buf_putc(out, obj ? '}' : ']') : -1;
}

/* to_cmd_args for a map: k=v pairs, keys sorted, each value str()'d. */
static int
py_map_arg(struct buf *out, const cJSON *v)
{
	const cJSON **kids;
	size_t n, i;
	int rc = 0;

	kids = children(v, 1, &n);
	if (n > 0 && kids == NULL)
		return -1;
	for (i = 0; rc == 0 && i < n; i++) {
		rc = buf_printf(out, "%s%s=", i > 0 ? "," : "",
		    kids[i]->string);
		if (rc == 0)
			rc = cJSON_IsObject(kids[i]) || cJSON_IsNull(kids[i]) ?
			    py_repr(out, kids[i]) : hp_str(out, kids[i]);
	}
	free(kids);
	return rc;
}

int
hp_str(struct buf *out, const cJSON *v)
{
	if (cJSON_IsNull(v))
		return buf_puts(out, "");
	if (cJSON_IsTrue(v))
		return buf_puts(out, "True");
	if (cJSON_IsFalse(v))
		return buf_puts(out, "False");
	if (cJSON_IsRaw(v))
		return buf_puts(out, py_number(v->valuestring));
	if (cJSON_IsString(v))
		return buf_puts(out, v->valuestring);
	if (cJSON_IsObject(v))
		return py_map_arg(out, v);
	if (cJSON_IsArray(v))
		return py_repr(out, v);
	return hp_json(out, v, 1);
}

int
hp_env(struct buf *out, const cJSON *v)
{
	if (cJSON_IsString(v))
		return buf_puts(out, v->valuestring);
	if (cJSON_IsNull(v))
		return buf_puts(out, "");
	return hp_json(out, v, 1);
}

/* The toolkit's SAGEMAKER_HYPERPARAMETERS tuple (params.py). */
static const char *const toolkit_params[] = {
	"sagemaker_program", "sagemaker_submit_directory",
	"sagemaker_enable_cloudwatch_metrics", "sagemaker_region",
	"sagemaker_container_log_level", "sagemaker_job_name",
	"default_user_module_name", "_tuning_objective_metric",
	"sagemaker_s3_output",
};

static int
in_toolkit_params(const char *key)
{
	for (size_t i = 0; i < sizeof toolkit_params / sizeof *toolkit_params;
	    i++)
		if (strcmp(key, toolkit_params[i]) == 0)
			return 1;
	return 0;
}

int
hp_reserved(const char *key)
{
	return in_toolkit_params(key) || strncmp(key, "sagemaker_", 10) == 0;
}

int
hp_framework_param(const char *key)
{
	return hp_reserved(key) && !in_toolkit_params(key);
}
