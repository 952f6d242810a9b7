/*
 * test-pyyaml-python.c - the machine's PyYAML is the referee for
 * pyyaml_dump and pyyaml_load.
 *
 * Dump: 3,000 maps whose keys and values are awkward strings (YAML 1.1
 * look-alikes such as NO, 0x1F, 1:30, indicators, quotes, line breaks,
 * tabs, non-ASCII, long texts that fold at column 80; fixed seed) go to
 * python3 as JSON; yaml.safe_dump of each must equal ours byte for byte.
 * Load: hand-written YAML texts; yaml.safe_dump(yaml.safe_load(text)) must
 * equal pyyaml_dump(pyyaml_load(text)).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "check.h"
#include "json.h"
#include "pyyaml.h"

#define SAMPLES 3000
#define OUT_MAX (1 << 20)

static uint64_t state = 0x2545f4914f6cdd1dULL;

static uint64_t
next_random(void)
{
	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return state;
}

static const char *edge[] = {
	"", "NO", "no", "No", "yes", "On", "off", "true", "False", "null",
	"Null", "~", "1", "-1", "+1", "012", "08", "0x1F", "0b101", "1_000",
	"1:30", "1.0", "1.", ".5", "1e3", "1.5e+3", ".inf", "-.Inf", ".NaN",
	"2001-12-14", "2001-12-14 21:59:43.10 -5", "<<", "=", "-", "- a", "-a",
	"?", "? a", ":", ": a", "a:b", "a: b", "a:", "#a", "a #b", "a#b",
	"---", "...", "--- x", " lead", "trail ", "a\nb", "a \nb", "a\n b",
	"\n", "a\n", "it's", "\"q\"", "back\\slash", "tab\there", "caf\xc3\xa9",
	"\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xc2\x85", "\xc2\xa0",
	"\xe2\x80\xa8", "\xef\xbb\xbf", "cr\r", "bell\a", "nul?", "[x]",
	"{x}", "x, y", "a,b", "&a", "*a", "!a", "|", ">", "%", "@", "`",
	"ml.p3.2xlarge", "accelerate-sagemaker-1", "s3://bucket/key",
	"arn:aws:iam::123456789012:role/x",
	"763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-"
	    "training:1.10.2-transformers4.17.0-gpu-py38-cu113-ubuntu20.04",
};
#define NEDGE (sizeof edge / sizeof edge[0])

static const char *pieces[] = {
	"a", "word", "NO", " ", " ", "  ", ":", ": ", "#", " #", "-", "'", "\"",
	"\\", "\n", "\t", ".", "0", "1", "x", "caf\xc3\xa9", "\xe2\x82\xac",
	"\xf0\x9f\x98\x80", "long-unbroken-token-for-folding", ",", "[", "}",
	"?", "~", "_",
};
#define NPIECES (sizeof pieces / sizeof pieces[0])

static void
random_text(char *s, size_t size)
{
	size_t n = next_random() % 40, i, len = 0, k;

	*s = '\0';
	for (i = 0; i < n; i++) {
		const char *p = pieces[next_random() % NPIECES];

		k = strlen(p);
		if (len + k + 1 > size)
			break;
		memcpy(s + len, p, k + 1);
		len += k;
	}
}

/* One sample: {v: S, S-as-key: 1, nested: {k: S}, list: [S, 2.5]}. */
static struct ynode *
sample_tree(const char *s)
{
	struct ynode *root = ynode_new(Y_MAP), *nested, *list, *f;

	ymap_put(root, "v", ynode_str(s));
	if (*s != '\0' && strcmp(s, "v") != 0 && strcmp(s, "nested") != 0 &&
	    strcmp(s, "list") != 0)
		ymap_put(root, s, ynode_int(1));
	nested = ynode_new(Y_MAP);
	ymap_put(nested, "k", ynode_str(s));
	ymap_put(root, "nested", nested);
	list = ynode_new(Y_SEQ);
	yseq_append(list, ynode_str(s));
	f = ynode_new(Y_FLOAT);
	f->d = 2.5;
	yseq_append(list, f);
	ymap_put(root, "list", list);
	return root;
}

static const char *load_cases[] = {
	"distributed_type: NO\nmixed_precision: no\nregion: us-east-1\n",
	"a: 1\nb: 1.0\nc: 5e-5\nd: 1e16\ne: .5\nf: -.inf\ng: .nan\nh: 0x1F\n"
	    "i: 0b101\nj: 017\nk: 1_000\nl: yes\nm: ~\nn:\no: 'NO'\np: \"x\"\n"
	    "q: 1.5e+20\nr: 3.0e-7\ns: -0.0\nt: +12\n",
	"additional_args:\n  tags:\n  - Key: a\n    Value: b\n  empty: {}\n"
	    "  list: []\n  nested: [[1, 2], {x: y}]\n",
	"{compute_environment: AMAZON_SAGEMAKER, num_machines: 2, debug: off}\n",
	"long: this is a long value with spaces that goes past the eightieth "
	    "column of the line for sure\nkey with spaces: v\n",
	"text: |\n  line one\n  line two\nfolded: >\n  a\n  b\n",
	"u: \"caf\\u00e9 \\U0001F600\"\nb: !!str 12\nc: !!int \"7\"\n",
};
#define NLOAD (sizeof load_cases / sizeof load_cases[0])

static char *
dump_text(const struct ynode *root)
{
	struct buf b;

	buf_init(&b, OUT_MAX);
	if (pyyaml_dump(&b, root) == -1) {
		buf_free(&b);
		return NULL;
	}
	return b.data;
}

static int
write_inputs(const char *path, char **texts)
{
	FILE *f = fopen(path, "w");
	char buf[512];
	size_t i;

	if (f == NULL)
		return -1;
	for (i = 0; i < SAMPLES; i++) {
		if (i < NEDGE)
			snprintf(buf, sizeof buf, "%s", edge[i]);
		else
			random_text(buf, sizeof buf);
		texts[i] = strdup(buf);
		struct buf j;
		buf_init(&j, 4096);
		json_put_string(&j, buf, strlen(buf));
		fprintf(f, "D %s\n", j.data);
		buf_free(&j);
	}
	for (i = 0; i < NLOAD; i++) {
		struct buf j;
		buf_init(&j, 4096);
		json_put_string(&j, load_cases[i], strlen(load_cases[i]));
		fprintf(f, "L %s\n", j.data);
		buf_free(&j);
	}
	return fclose(f);
}

static const char script[] =
    "import json, sys, yaml\n"
    "for line in open(sys.argv[1], encoding='utf-8'):\n"
    "    kind, s = line[0], json.loads(line[2:])\n"
    "    if kind == 'D':\n"
    "        d = {'v': s, 'nested': {'k': s}, 'list': [s, 2.5]}\n"
    "        if s and s not in d: d[s] = 1\n"
    "    else:\n"
    "        d = yaml.safe_load(s)\n"
    "    print(json.dumps(yaml.safe_dump(d)))\n";

int
main(void)
{
	char in[] = "/tmp/accel-pyyaml-in.XXXXXX", cmd[256], *line = NULL;
	char *texts[SAMPLES], *mine, name[64];
	size_t cap = 0, i = 0;
	cJSON *want;
	FILE *py;
	int fd, same = 0;

	fd = mkstemp(in);
	if (fd == -1 || close(fd) == -1 || write_inputs(in, texts) == -1) {
		CHECK("write the samples", 0);
		return check_done();
	}
	snprintf(cmd, sizeof cmd, "python3 -c \"$ACCEL_PYSCRIPT\" %s", in);
	setenv("ACCEL_PYSCRIPT", script, 1);
	py = popen(cmd, "r");
	CHECK("python3 with PyYAML starts", py != NULL);
	while (py != NULL && getline(&line, &cap, py) > 0 &&
	    i < SAMPLES + NLOAD) {
		struct ynode *t;

		want = cJSON_Parse(line);
		if (i < SAMPLES) {
			t = sample_tree(texts[i]);
			snprintf(name, sizeof name, "dump sample %zu", i);
		} else {
			const char *c = load_cases[i - SAMPLES];
			t = pyyaml_load("case", c, strlen(c));
			snprintf(name, sizeof name, "load case %zu", i - SAMPLES);
		}
		mine = t ? dump_text(t) : NULL;
		if (want != NULL && mine != NULL &&
		    strcmp(mine, want->valuestring) == 0)
			same++;
		else
			check_streq_at(__FILE__, __LINE__, name, mine,
			    want ? want->valuestring : NULL);
		free(mine);
		ynode_free(t);
		cJSON_Delete(want);
		i++;
	}
	CHECK("python3 exits 0", py != NULL && pclose(py) == 0);
	CHECK("every sample compared", i == SAMPLES + NLOAD);
	printf("# %d of %zu identical to PyYAML\n", same, i);
	CHECK("all identical to PyYAML", same == SAMPLES + (int)NLOAD);
	for (i = 0; i < SAMPLES; i++)
		free(texts[i]);
	free(line);
	unlink(in);
	return check_done();
}
