__accel_dir := $(dir $(abspath $(lastword $(MAKEFILE_LIST))))
# accel.mk - train a script on Amazon SageMaker from make.
#
# Include it from your Makefile, after or before your own first rule:
#
#     all: my-things                 # your default goal stays yours
#     include path/to/accel.mk
#
# Targets it adds (every one prefixed, none generic, all phony):
#
#   accel-validate   check $(ACCEL_CONFIG) and write $(ACCEL_DIR)/config.json
#   accel-clean      remove $(ACCEL_DIR)
#   accel-help       this list
#
# and the file $(ACCEL_DIR)/config.json itself, for your own rules to
# depend on.  To clean with your own target: `clean: accel-clean`.
#
# Knobs (set them before or after the include, or on the command line):
#
#   ACCEL_CONFIG  ?= accelerate.yaml   the accelerate config (YAML or .json)
#   ACCEL_DIR     ?= .accel            every file accel.mk writes
#   ACCEL_BINDIR  ?= (found)           where the accel-* tools are
#   V=1                                show the commands
#
# The tools are found next to this file ($(dir)bin, a built source tree),
# in $(dir)../../bin (installed as PREFIX/share/accel/accel.mk), or on
# PATH.  When this file sits in the accel.mk source tree and the tools are
# not built yet, they are built with $(MAKE) -C <tree> tools.
#
# Guarantees: the including Makefile's default goal is kept; nothing
# generic is defined or exported; MAKEFLAGS, SHELL, .SUFFIXES and
# .DELETE_ON_ERROR are left alone; files are written by the tools
# atomically (temporary file and rename).  accel-validate runs on each
# request (it is fast and reads the TSV files the config names), but
# rewrites config.json only when its bytes change, so rules depending on
# it rebuild only then.  A missing tool is reported when an accel-*
# target runs, never at parse time.

ifndef __accel_included
__accel_included := 1
__accel_goal := $(.DEFAULT_GOAL)

ACCEL_CONFIG ?= accelerate.yaml
ACCEL_DIR ?= .accel

# Quiet unless V=1 (without reading an undefined V).
__accel_V := $(if $(filter undefined,$(origin V)),0,$(V))
__accel_Q_0 := @
__accel_Q_1 :=
__accel_Q = $(__accel_Q_$(__accel_V))
__accel_say_0 = @printf '  %-9s %s\n'
__accel_say_1 = @:
__accel_say = $(__accel_say_$(__accel_V))

# Where the tools are: an override, a built or installed tree, PATH, or
# this source tree (built on demand).
__accel_tool :=
__accel_src := $(wildcard $(__accel_dir)tools/accel-validate.c)
ifeq ($(origin ACCEL_BINDIR),undefined)
ACCEL_BINDIR := $(firstword \
	$(patsubst %/accel-validate,%,$(wildcard \
		$(__accel_dir)bin/accel-validate \
		$(__accel_dir)../../bin/accel-validate)) \
	$(if $(__accel_src),$(__accel_dir)bin) \
	$(patsubst %/accel-validate,%,$(shell command -v accel-validate \
		2>/dev/null)))
endif
ACCEL_VALIDATE := $(if $(ACCEL_BINDIR),$(ACCEL_BINDIR)/accel-validate,\
	accel-validate)

ifneq ($(__accel_src),)
# In the source tree: build the tools when they are missing.
$(__accel_dir)bin/accel-validate:
	$(__accel_say) MAKE "$(__accel_dir) tools"
	$(__accel_Q)$(MAKE) -C $(__accel_dir) tools
__accel_tool := $(ACCEL_VALIDATE)
else ifeq ($(ACCEL_BINDIR),)
__accel_tool := __accel-no-tools
endif

__accel-no-tools:
	@echo "accel.mk: cannot find accel-validate (looked in" \
	    "$(__accel_dir)bin, $(__accel_dir)../../bin and PATH)." >&2; \
	echo "accel.mk: build the tools with 'make' in the accel.mk" \
	    "source tree, install them with 'make install'," \
	    "or set ACCEL_BINDIR." >&2; \
	exit 1

$(ACCEL_DIR):
	$(__accel_Q)mkdir -p $@

$(ACCEL_DIR)/config.json: __accel-force $(__accel_tool) | $(ACCEL_DIR)
	$(__accel_say) VALIDATE $(ACCEL_CONFIG)
	$(__accel_Q)$(ACCEL_VALIDATE) -o $@ $(ACCEL_CONFIG)

accel-validate: $(ACCEL_DIR)/config.json

accel-clean:
	$(__accel_Q)rm -rf $(ACCEL_DIR)

accel-help:
	@sed -n '2,/^$$/s/^# \{0,1\}//p' $(__accel_dir)accel.mk

__accel-force:

.PHONY: accel-validate accel-clean accel-help __accel-force \
	__accel-no-tools

.DEFAULT_GOAL := $(__accel_goal)
endif
