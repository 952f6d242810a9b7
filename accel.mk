__accel_dir := $(dir $(abspath $(lastword $(MAKEFILE_LIST))))
# accel.mk - train a script on Amazon SageMaker from make.
#
# Add three lines to your Makefile (before or after your own first rule;
# your default goal stays yours):
#
#     ACCEL_SCRIPT = train.py              # optional, this is the default
#     include path/to/accel.mk
#     clean: accel-clean                   # optional: your clean cleans ours
#
# then `make train` (on SageMaker) or `make train-local` (on this host).
#
# Targets (all phony, none generic: no all, clean, help, install, check):
#
#   train          validate -> request -> submit -> wait -> fetch: the model
#                  in $(ACCEL_MODEL_DIR).  Streams the job's logs; Ctrl-C
#                  detaches (the job keeps running), run it again to
#                  re-attach.  Unchanged inputs never start a second job.
#   train-local    validate -> request -> accel-local -> the model in
#                  $(ACCEL_LOCAL_MODEL_DIR).  No AWS account needed.
#   train-status   the job's status lines now, no waiting (a finished job:
#                  its seconds lines and model URI); exit 0 while running
#                  or Completed, 1 Failed or Stopped
#   train-logs     the job's whole log from its start, then follows it
#   train-stop     stop the job (StopTrainingJob) and wait until Stopped
#                  (exit 1, as any Stopped job); an ended job: its end
#   accel-validate check $(ACCEL_CONFIG) into $(ACCEL_DIR)/config.json
#   accel-request  build the request and print what would be submitted
#                  (accel-submit --dry-run $(ACCEL_DRY_RUN_FLAGS))
#   accel-clean    remove $(ACCEL_DIR) (and the models in it; a rerun
#                  fetches them again without a new job)
#   accel-help     this text
#
# Knobs (defaults after ?=; set them in your Makefile or on the command
# line; the three marked * name files and must be set before the include):
#
#   ACCEL_CONFIG ?= accelerate.yaml   the accelerate config (YAML or .json)
#   ACCEL_SCRIPT ?= train.py          the training script (entry point)
#   ACCEL_ARGS ?=                     the script's arguments (--key value
#                                     ...), its hyperparameters
#   ACCEL_SOURCE_DIR ?=               the code uploaded (empty: the
#                                     script's directory)
#   ACCEL_REQUIREMENTS ?=             a requirements.txt to put at the root
#                                     of the code (empty: the source
#                                     directory's own, if any)
#   ACCEL_RUN ?=                      a run counter: a new value starts a
#                                     new job for unchanged inputs (empty:
#                                     $ACCEL_RUN of the environment, else 0)
# * ACCEL_DIR ?= .accel               every file accel.mk writes
# * ACCEL_MODEL_DIR ?= $(ACCEL_DIR)/model
#                                     where `make train` puts the model
# * ACCEL_LOCAL_MODEL_DIR ?= $(ACCEL_DIR)/model-local
#                                     where `make train-local` puts it (its
#                                     own directory: make -j train
#                                     train-local never writes one twice)
#                                     A model directory inside the source
#                                     directory must be in .accelignore, or
#                                     each fetch would change the code (and
#                                     so the job); $(ACCEL_DIR) is excluded.
#   ACCEL_LOCAL_FLAGS ?=              extra accel-local options
#                                     (--no-install, --backend docker, ...);
#                                     the script gets no AWS credentials
#                                     unless --credentials caller (yours)
#                                     or --credentials role (the job's role)
#   ACCEL_DRY_RUN_FLAGS ?=            accel-submit --dry-run options for
#                                     accel-request (--account, --bucket)
#   ACCEL_BINDIR ?= (found)           where the accel-* tools are (also
#                                     accepted as ACCEL_BIN)
#   V=1                               show the commands (make -s: silent)
#
# Several trainings: for each NAME, set any of NAME_CONFIG, NAME_SCRIPT,
# NAME_ARGS, NAME_SOURCE_DIR, NAME_REQUIREMENTS, NAME_RUN, NAME_LOCAL_FLAGS
# (unset ones take the ACCEL_* value), NAME_DIR (default $(ACCEL_DIR)/NAME),
# NAME_MODEL_DIR ($(NAME_DIR)/model), NAME_LOCAL_MODEL_DIR
# ($(NAME_DIR)/model-local), then
#
#     $(eval $(call accel-training,NAME))
#
# for train-NAME, train-local-NAME, train-status-NAME, train-logs-NAME,
# train-stop-NAME, accel-validate-NAME, accel-request-NAME and
# accel-clean-NAME, each with its own state directory.
#
# Files, each rewritten only when its bytes change (DESIGN.md):
#
#   $(ACCEL_DIR)/config.json       accel-validate, run every time (fast)
#   $(ACCEL_DIR)/request.json      accel-request, run every time: it reads
#     (+ sourcedir.tar.gz)         the script, the whole source directory
#                                  and requirements, so it is the one that
#                                  knows its inputs (.accelignore included)
#   $(ACCEL_DIR)/job.json          accel-submit
#   $(ACCEL_DIR)/status.json       accel-wait (the final DescribeTrainingJob;
#                                  logpos.json: its log positions)
#   $(ACCEL_DIR)/fetched           the model of status.json is in place
#   $(ACCEL_DIR)/local/            accel-local's job roots and status.json
#   $(ACCEL_DIR)/local-fetched     the local model is in place
#   $(ACCEL_DIR)/logs/             train-logs' own copy and positions
#
# Incremental by content: a step runs only when its input is newer, and
# then only when the input's bytes differ from those it was last made from
# (kept in TARGET.from): otherwise it just touches its output.  So touching
# every file, a fresh checkout, or a CI cache of $(ACCEL_DIR) restored with
# any mtimes starts no job and, with the model directory present, makes no
# AWS request at all.  Without a cache, accel-submit finds the job of the
# same content (its name is derived from it) and attaches to it.
#
# Guarantees: the including Makefile's default goal is kept, whether
# accel.mk is included first or last, and included twice it is included
# once; nothing generic is defined or exported; MAKEFLAGS, SHELL,
# .SUFFIXES and .DELETE_ON_ERROR are left alone, but a step that fails
# removes its own output (the same effect for our files only); every file
# is written atomically by the tools (temporary file and rename) or by
# `> $@.tmp && mv`; make -n runs nothing and writes nothing (no $(shell)
# writes, no tool runs at parse time); make -j is safe (each file has one
# rule).  Tools are found next to this file ($(dir)bin, a built source
# tree), in $(dir)../../bin (installed as PREFIX/share/accel/accel.mk), or
# on PATH; in a source tree they are built with $(MAKE) -C <tree> tools when
# missing.  A missing tool is reported when a target that needs it runs,
# never at parse time, so your own goals keep working.  The same manual,
# longer: accel.mk(7) (tools/accel.mk.7).

ifndef __accel_included
__accel_included := 1
__accel_goal := $(.DEFAULT_GOAL)

ACCEL_CONFIG ?= accelerate.yaml
ACCEL_SCRIPT ?= train.py
ACCEL_ARGS ?=
ACCEL_SOURCE_DIR ?=
ACCEL_REQUIREMENTS ?=
ACCEL_RUN ?=
ACCEL_DIR ?= .accel
ACCEL_MODEL_DIR ?= $(ACCEL_DIR)/model
ACCEL_LOCAL_MODEL_DIR ?= $(ACCEL_DIR)/model-local
ACCEL_LOCAL_FLAGS ?=
ACCEL_DRY_RUN_FLAGS ?=

# Quiet unless V=1 (without reading an undefined V); make -s: no labels.
__accel_V := $(if $(filter undefined,$(origin V)),0,$(V))
__accel_s := $(findstring s,$(firstword -$(MAKEFLAGS)))
__accel_Q_0 := @
__accel_Q_1 :=
__accel_Q = $(__accel_Q_$(__accel_V))
__accel_echo_0 := $(if $(__accel_s),:,printf '  %-9s %s\n')
__accel_echo_1 := :
__accel_echo = $(__accel_echo_$(__accel_V))
__accel_say_0 = @$(__accel_echo_0)
__accel_say_1 = @:
__accel_say = $(__accel_say_$(__accel_V))

# Where the tools are: an override, a built or installed tree, PATH, or
# this source tree (built on demand).
__accel_names := validate request submit wait fetch local
__accel_src := $(wildcard $(__accel_dir)tools/accel-validate.c)
ifneq ($(filter-out undefined,$(origin ACCEL_BIN)),)
ACCEL_BINDIR ?= $(ACCEL_BIN)
endif
__accel_bindir_set := $(filter-out undefined,$(origin ACCEL_BINDIR))
ifeq ($(__accel_bindir_set),)
ACCEL_BINDIR := $(firstword \
	$(patsubst %/accel-validate,%,$(wildcard \
		$(__accel_dir)bin/accel-validate \
		$(__accel_dir)../../bin/accel-validate)) \
	$(if $(__accel_src),$(__accel_dir)bin) \
	$(patsubst %/accel-validate,%,$(shell command -v accel-validate \
		2>/dev/null)))
endif
__accel_tool = $(if $(ACCEL_BINDIR),$(ACCEL_BINDIR)/accel-$(1),accel-$(1))
__accel_missing := $(foreach n,$(__accel_names),$(if $(wildcard \
	$(call __accel_tool,$(n))),,$(n)))

# $(call __accel_need,NAME): the order-only prerequisite that gets tool
# NAME: nothing when it is there, one build of this tree for all missing
# tools (one phony target, so make -j builds once), or an error.
ifneq ($(__accel_src),)
__accel_need = $(if $(filter $(1),$(__accel_missing)),__accel-build)
else
__accel_need = $(if $(filter $(1),$(__accel_missing)),__accel-no-$(1))
endif

__accel-build:
	$(__accel_say) MAKE "$(__accel_dir) tools"
	$(__accel_Q)$(MAKE) -C $(__accel_dir) tools

$(__accel_names:%=__accel-no-%):
	@echo "accel.mk: cannot find accel-$(@:__accel-no-%=%) (looked in" \
	    "$(if $(__accel_bindir_set),$(ACCEL_BINDIR),$(__accel_dir)bin,\
	    $(__accel_dir)../../bin and PATH))." >&2; \
	echo "accel.mk: build the tools with 'make' in the accel.mk" \
	    "source tree, install them with 'make install'," \
	    "or set ACCEL_BINDIR." >&2; \
	exit 1

# $(call __accel_knob,NAME,KNOB): NAME_KNOB when set, else ACCEL_KNOB.
__accel_knob = $(if $(filter undefined,$(origin $(1)_$(2))),$(ACCEL_$(2)),$($(1)_$(2)))

# Content stamps.  $(call __accel_fresh,IN,EXTRA,STAMP) is a shell test, true when
# $@ exists and was made from IN's current bytes (and EXTRA), as
# $(call __accel_made,IN,EXTRA,STAMP) recorded in STAMP.
__accel_from = { cat $(1) && printf '%s\n' '$(2)'; }
__accel_fresh = [ -e $@ ] && $(call __accel_from,$(1),$(2)) | cmp -s - $(3)
__accel_made = $(call __accel_from,$(1),$(2)) > $(3).tmp && mv -f $(3).tmp $(3)
# On failure a step removes its output, so the next run retries it.
__accel_undo = { s=$$?; rm -f $@ $@.from; exit $$s; }

# $(call __accel_job,DIR,SUFFIX): a shell test that DIR/job.json exists,
# or a message saying how to make it.
__accel_job = { [ -f $(1)/job.json ] || { echo "accel.mk: no job yet:" \
	"'make train$(2)' submits it" >&2; exit 1; }; }

# $(call __accel_training,SUFFIX,NAME,DIR,MODEL_DIR,LOCAL_MODEL_DIR): the
# targets of one training.  Numbered arguments are expanded once, by call
# (they name files); every $$ is expanded when the recipe runs, so knobs
# set after the include still count.
define __accel_training
$(3):
	$$(__accel_Q)mkdir -p $$@

$(3)/config.json: __accel-force | $(3) $$(call __accel_need,validate)
	$$(__accel_say) VALIDATE $$(call __accel_knob,$(2),CONFIG)
	$$(__accel_Q)$$(call __accel_tool,validate) -o $$@ \
		$$(call __accel_knob,$(2),CONFIG)

$(3)/request.json: $(3)/config.json __accel-force | \
		$$(call __accel_need,request)
	$$(__accel_say) REQUEST $$(call __accel_knob,$(2),SCRIPT)
	$$(__accel_Q)$$(call __accel_tool,request) -c $(3)/config.json -o $$@ \
		$$(addprefix --source-dir ,$$(call __accel_knob,$(2),SOURCE_DIR)) \
		$$(addprefix --requirements ,$$(call __accel_knob,$(2),REQUIREMENTS)) \
		$$(addprefix --run ,$$(call __accel_knob,$(2),RUN)) \
		$$(call __accel_knob,$(2),SCRIPT) $$(call __accel_knob,$(2),ARGS)

$(3)/job.json: $(3)/request.json | $$(call __accel_need,submit)
	$$(__accel_Q)if $$(call __accel_fresh,$$<,,$$@.from); then touch $$@; else \
		$$(__accel_echo) SUBMIT $$<; \
		$$(call __accel_tool,submit) -o $$@ $$< || $$(__accel_undo); \
		$$(call __accel_made,$$<,,$$@.from); fi

$(3)/status.json: $(3)/job.json | $$(call __accel_need,wait)
	$$(__accel_Q)if $$(call __accel_fresh,$$<,,$$@.from); then touch $$@; else \
		$$(__accel_echo) WAIT $$<; \
		ACCEL_REATTACH='make train$(1)' \
		$$(call __accel_tool,wait) -o $$@ $$< || $$(__accel_undo); \
		$$(call __accel_made,$$<,,$$@.from); fi

$(3)/fetched: $(3)/status.json $(if $(wildcard $(4)),,__accel-force) | \
		$$(call __accel_need,fetch)
	$$(__accel_Q)if [ -d $(4) ] && $$(call __accel_fresh,$$<,$(4),$$@); \
	then touch $$@; else \
		$$(__accel_echo) FETCH $(4); \
		$$(call __accel_tool,fetch) -o $(4) $$< && \
		$$(call __accel_made,$$<,$(4),$$@); fi

$(3)/local/status.json: $(3)/request.json | $$(call __accel_need,local)
	$$(__accel_Q)if $$(call __accel_fresh,$$<,,$$@.from); then touch $$@; else \
		$$(__accel_echo) LOCAL $$<; \
		$$(call __accel_tool,local) -o $(3)/local \
			$$(call __accel_knob,$(2),LOCAL_FLAGS) $$< || \
			$$(__accel_undo); \
		$$(call __accel_made,$$<,,$$@.from); fi

$(3)/local-fetched: $(3)/local/status.json \
		$(if $(wildcard $(5)),,__accel-force) | $$(call __accel_need,fetch)
	$$(__accel_Q)if [ -d $(5) ] && $$(call __accel_fresh,$$<,$(5),$$@); \
	then touch $$@; else \
		$$(__accel_echo) FETCH $(5); \
		$$(call __accel_tool,fetch) -o $(5) $$< && \
		$$(call __accel_made,$$<,$(5),$$@); fi

train$(1): $(3)/fetched
train-local$(1): $(3)/local-fetched
accel-validate$(1): $(3)/config.json

accel-request$(1): $(3)/request.json | $$(call __accel_need,submit)
	$$(__accel_Q)$$(call __accel_tool,submit) --dry-run \
		$$(ACCEL_DRY_RUN_FLAGS) $(3)/request.json $$(if \
		$$(ACCEL_DRY_RUN_FLAGS),,|| { echo "accel.mk: without AWS" \
		"credentials, set ACCEL_DRY_RUN_FLAGS='--account ID --bucket" \
		"NAME'" >&2; exit 1; })

train-status$(1): | $$(call __accel_need,wait)
	$$(__accel_Q)$$(call __accel_job,$(3),$(1)) && \
		$$(call __accel_tool,wait) --once $(3)/job.json

train-logs$(1): | $(3) $$(call __accel_need,wait)
	$$(__accel_Q)$$(call __accel_job,$(3),$(1)) && mkdir -p $(3)/logs && \
	cp $(3)/job.json $(3)/logs/job.json.tmp && \
	mv -f $(3)/logs/job.json.tmp $(3)/logs/job.json && \
	rm -f $(3)/logs/logpos.json && \
	ACCEL_REATTACH='make train-logs$(1)' \
		$$(call __accel_tool,wait) $(3)/logs/job.json

train-stop$(1): | $$(call __accel_need,wait)
	$$(__accel_Q)$$(call __accel_job,$(3),$(1)) && \
	ACCEL_REATTACH='make train-stop$(1)' \
		$$(call __accel_tool,wait) --stop-now --no-logs $(3)/job.json

accel-clean$(1):
	$$(__accel_Q)rm -rf $(3)

.PHONY: train$(1) train-local$(1) train-status$(1) train-logs$(1) \
	train-stop$(1) accel-validate$(1) accel-request$(1) accel-clean$(1)
endef

# $(eval $(call accel-training,NAME)): train-NAME and friends.
__accel_or = $(if $(filter undefined,$(origin $(1))),$(2),$($(1)))
__accel_named_dir = $(call __accel_or,$(1)_DIR,$(ACCEL_DIR)/$(1))
accel-training = $(call __accel_training,-$(1),$(1),$(call \
	__accel_named_dir,$(1)),$(call __accel_or,$(1)_MODEL_DIR,$(call \
	__accel_named_dir,$(1))/model),$(call __accel_or,$(1)_LOCAL_MODEL_DIR,$(call \
	__accel_named_dir,$(1))/model-local))

$(eval $(call __accel_training,,ACCEL,$(ACCEL_DIR),$(ACCEL_MODEL_DIR),$(ACCEL_LOCAL_MODEL_DIR)))

accel-help:
	@sed -n '2,/^$$/s/^# \{0,1\}//p' $(__accel_dir)accel.mk

__accel-force:

.PHONY: accel-help __accel-force __accel-build \
	$(__accel_names:%=__accel-no-%)

.DEFAULT_GOAL := $(__accel_goal)
endif
