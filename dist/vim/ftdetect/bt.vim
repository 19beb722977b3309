" tracelet / bpftrace scripts
autocmd BufRead,BufNewFile *.bt setfiletype bt
autocmd BufRead * if getline(1) =~# '^#!.*\<\(tracelet\|bpftrace\)\>' | setfiletype bt | endif
