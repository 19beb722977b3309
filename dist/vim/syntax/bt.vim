" Vim syntax file
" Language: tracelet / bpftrace scripts (.bt)
if exists("b:current_syntax")
  finish
endif

syn keyword btStatement if else while unroll for return break continue let
syn keyword btProbeSpecial BEGIN END
syn match btProbe "^\s*\(tracepoint\|t\|rawtracepoint\|rt\|kprobe\|k\|kretprobe\|kr\|uprobe\|u\|uretprobe\|ur\|usdt\|U\|fentry\|f\|fexit\|fr\|kfunc\|kretfunc\|profile\|p\|interval\|i\|software\|s\|hardware\|h\|xdp\|tc\):[^ \t{/]*"
syn keyword btBuiltin pid tid uid gid comm nsecs elapsed cpu probe func args retval curtask cpid
syn keyword btBuiltin rand cgroup numaid kstack ustack username ctx
syn match btBuiltin "\<arg[0-9]\+\>"
syn keyword btFunction printf print exit delete clear zero str ksym usym kaddr uaddr len has_key
syn keyword btFunction time strftime join cat system signal cgroupid cgroup_path ntop pton bswap
syn keyword btFunction buf strncmp strcontains macaddr count sum avg min max stats hist lhist
syn match btMap "@[A-Za-z0-9_]*"
syn match btVariable "\$[A-Za-z_][A-Za-z0-9_]*"
syn match btPositional "\$[0-9#]\+"
syn region btString start=+"+ skip=+\\\\\|\\"+ end=+"+
syn match btNumber "\<\(0x\x\+\|\d\+\)\>"
syn region btComment start="/\*" end="\*/"
syn match btComment "//.*$"
syn match btShebang "\%^#!.*$"
syn match btPreProc "^\s*#\s*\(include\|define\|ifdef\|ifndef\|endif\|else\).*$"

hi def link btStatement Statement
hi def link btProbeSpecial Type
hi def link btProbe Type
hi def link btBuiltin Identifier
hi def link btFunction Function
hi def link btMap Special
hi def link btVariable Identifier
hi def link btPositional Constant
hi def link btString String
hi def link btNumber Number
hi def link btComment Comment
hi def link btShebang PreProc
hi def link btPreProc PreProc

let b:current_syntax = "bt"
