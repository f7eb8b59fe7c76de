#!/usr/bin/env bash
# truth.sh -- regenerate the ground truth of the TinyFormer example paper.
#
# Compiles a copy of this folder in a temporary directory with pdflatex and
# bibtex, with a small hook added after \begin{document} (the committed
# main.tex is never touched) that records in the .aux file
#   * every equation number amsmath prints (\tagform@), in printed order,
#   * every toc/lof/lot/loa entry (sections, captions) as LaTeX numbers it,
#   * unnumbered (starred) section headings,
# then turns the .aux (and the .bbl) into JSON.
#
# Usage: truth.sh [OUT]       OUT defaults to truth.json next to this script;
#                             "-" writes to stdout.
# Needs: pdflatex, bibtex, perl (see TEXLIVE_PACKAGES for the Debian packages).
# Exit status: 0 on success; 1 if LaTeX/BibTeX failed or left undefined
# references or citations.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$here/truth.json}

for tool in pdflatex bibtex perl; do
  command -v "$tool" >/dev/null || { echo "truth.sh: $tool not found" >&2; exit 1; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/tinyformer-truth.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Copy the sources (not the generated truth, not build artefacts).
(cd "$here" && tar cf - --exclude=truth.json --exclude='*.aux' --exclude='*.log' \
    --exclude='*.pdf' --exclude='*.out' --exclude='*.blg' .) | (cd "$work" && tar xf -)
cd "$work"
if [ -f main.bbl ]; then cp main.bbl main.bbl.committed; else : >main.bbl.committed; fi
rm -f main.bbl

# ---------------------------------------------------------------- the hook
cat > truthhook.tex <<'EOF'
\makeatletter
% Equation numbers: amsmath prints every tag through \tagform@ (automatic
% numbers, subequations, \tag{...}). \protected@write expands the number now
% and writes it at shipout, so trial typesetting (align's measuring pass)
% leaves no trace.
\let\truth@tagform\tagform@
% hyperref puts its anchor into the argument of \tag{...}: drop it here.
\def\tagform@#1{\protected@write\@auxout{\let\Hy@make@anchor\@empty}%
  {\string\truthEq{#1}}\truth@tagform{#1}}
% \eqref also uses \tagform@; keep it out of the list.
\let\truth@eqref\eqref
\protected\def\eqref#1{{\let\tagform@\truth@tagform\truth@eqref{#1}}}
% Plain-text version of a heading or caption, via hyperref's \pdfstringdef.
\pdfstringdefDisableCommands{\let\numberline\@gobble
  \def\pm{\textpm}\def\times{\texttimes}}
\def\truth@record#1#2#3{%
  \begingroup
    \global\let\truth@num\@empty
    \def\numberline##1{\protected@xdef\truth@num{##1}}%
    \setbox\z@\hbox{#3}%
    \pdfstringdef\truth@title{#3}%
    \pdfstringdef\truth@numstr{\truth@num}%
    \protected@write\@auxout{}{\string\truthEntry{#1}{#2}{\truth@numstr}{\truth@title}}%
  \endgroup}
% Every numbered heading and every caption goes through \addcontentsline.
\let\truth@addcontentsline\addcontentsline
\def\addcontentsline#1#2#3{\truth@record{#1}{#2}{#3}\truth@addcontentsline{#1}{#2}{#3}}
% Starred headings do not; catch them in \@ssect, with the level remembered
% from \@startsection.
\let\truth@startsection\@startsection
\def\@startsection#1{\def\truth@level{#1}\truth@startsection{#1}}
\let\truth@ssect\@ssect
\def\@ssect#1#2#3#4#5{\truth@record{star}{\truth@level}{#5}\truth@ssect{#1}{#2}{#3}{#4}{#5}}
\makeatother
EOF
grep -q '^\\begin{document}' main.tex || { echo "truth.sh: no \\begin{document} line" >&2; exit 1; }
# The .aux of the previous run is read at \begin{document}, before the hook.
sed -i 's/^\\begin{document}/\\providecommand\\truthEq[1]{}\\providecommand\\truthEntry[4]{}\n&\\input{truthhook.tex}/' main.tex

run_latex() {
  if ! pdflatex -interaction=nonstopmode -halt-on-error main.tex >/dev/null 2>&1; then
    echo "truth.sh: pdflatex failed:" >&2
    grep -A8 '^!' main.log >&2 || tail -40 main.log >&2
    exit 1
  fi
}

run_latex
if ! bibtex main >bibtex.out 2>&1; then
  echo "truth.sh: bibtex failed:" >&2; cat bibtex.out >&2; exit 1
fi
if grep -q '^Warning--' main.blg; then
  echo "truth.sh: bibtex warnings:" >&2; grep '^Warning--' main.blg >&2
fi
run_latex
run_latex
# Run again while LaTeX asks for it (page breaks can move with the numbers).
for _ in 1 2 3; do
  grep -Eq 'Rerun to get|Label\(s\) may have changed' main.log || break
  run_latex
done
if grep -Eq 'Rerun to get|Label\(s\) may have changed' main.log; then
  echo "truth.sh: cross-references did not settle" >&2; exit 1
fi
if grep -Eq 'There were undefined references|Reference .* undefined|Citation .* undefined|There were multiply-defined labels' main.log; then
  echo "truth.sh: unresolved or duplicate references:" >&2
  grep -E 'undefined|multiply' main.log >&2
  exit 1
fi
if ! cmp -s main.bbl main.bbl.committed; then
  echo "truth.sh: note: bibtex output differs from the committed main.bbl" >&2
  diff main.bbl.committed main.bbl >&2 || true
fi

# ------------------------------------------------------ .aux/.bbl -> JSON
perl - main.aux main.bbl >truth.json <<'PERL'
use strict; use warnings;
binmode STDOUT, ':utf8';
my ($auxf, $bblf) = @ARGV;

# Balanced {...} group starting at position $p of $s (which must be '{').
sub group { my ($s, $p) = @_; die "no group at $p" unless substr($s, $p, 1) eq '{';
  my $d = 0;
  for (my $i = $p; $i < length $s; $i++) { my $c = substr($s, $i, 1);
    if ($c eq '\\') { $i++; next }
    $d++ if $c eq '{';
    if ($c eq '}') { $d--; return (substr($s, $p+1, $i-$p-1), $i+1) if $d == 0 } }
  die "unbalanced group"; }
sub groups { my ($s, $p, $n) = @_; my @g;
  for (1..$n) { $p++ while substr($s, $p, 1) =~ /\s/; my $g; ($g, $p) = group($s, $p); push @g, $g }
  return @g; }

# Decode a string made by hyperref's \pdfstringdef (PDFDocEncoding or, when
# it starts with \376\377, UTF-16BE), with \ddd octal and \x escapes.
sub pdfstr { my ($s) = @_;
  my @b; my @c = split //, $s;
  for (my $i = 0; $i < @c; $i++) {
    if ($c[$i] eq '\\' && $i+1 < @c) {
      if ($c[$i+1] =~ /[0-7]/) { my $o = ''; while ($i+1 < @c && $c[$i+1] =~ /[0-7]/ && length $o < 3) { $o .= $c[++$i] } push @b, oct $o }
      else { push @b, ord $c[++$i] }
    } else { push @b, ord $c[$i] } }
  my $r;
  if (@b >= 2 && $b[0] == 254 && $b[1] == 255) {
    my @u = map { $b[$_]*256 + $b[$_+1] } grep { $_ % 2 == 0 } 2..$#b-1;
    $r = ''; for (my $i = 0; $i < @u; $i++) { my $u = $u[$i];
      if ($u >= 0xD800 && $u < 0xDC00 && $i+1 < @u) { $u = 0x10000 + (($u - 0xD800) << 10) + ($u[++$i] - 0xDC00) }
      $r .= chr $u }
  } else { $r = join '', map { chr } @b }
  $r =~ s/\s+/ /g; $r =~ s/^ | $//g; return $r; }

sub js { my ($s) = @_; $s =~ s/(["\\])/\\$1/g; $s =~ s/\n/\\n/g; $s =~ s/([\x00-\x1f])/sprintf('\\u%04x', ord $1)/ge; return "\"$s\""; }

open my $fh, '<:raw', $auxf or die; my @aux = <$fh>; close $fh;
my (@eqs, %num, %type, @labels, @sections, @tables, @figures, @algs);
my %alg_env = (algorithm => 'algorithm', algocf => 'algorithm2e');
for my $line (@aux) {
  if ($line =~ /^\\truthEq\{/) { my ($n) = groups($line, 8, 1); $n =~ s/\s+//g; push @eqs, $n; next }
  if ($line =~ /^\\newlabel\{/) {
    my ($key, $val) = groups($line, 9, 2);
    if ($key =~ /^(.*)\@cref$/) { my $k = $1; $type{$k} = $1 if $val =~ /^\{\[([^\]]*)\]/; next }
    my ($n) = groups($val, 0, 1); $n =~ s/\s+$//;
    # \tag{X} labels are stored as {X}: the braces are not printed.
    while ($n =~ /^\{/) { my ($g, $e) = group($n, 0); last unless $e == length $n; $n = $g }
    $num{$key} = $n; push @labels, $key; next }
  if ($line =~ /^\\truthEntry\{/) {
    my ($file, $kind, $n, $title) = groups($line, 11, 4);
    my $e = { number => pdfstr($n), title => pdfstr($title), kind => $kind };
    if ($file eq 'toc' || $file eq 'star') { $e->{kind} = $file eq 'star' ? "$kind*" : $kind; push @sections, $e }
    elsif ($file eq 'lot' && $kind eq 'table') { push @tables, $e }
    elsif ($file eq 'lof' && $kind eq 'figure') { push @figures, $e }
    elsif ($file eq 'loa') { $e->{kind} = $alg_env{$kind} // $kind; push @algs, $e }
    next }
}
my $bib = 0;
if (open my $bh, '<', $bblf) { while (<$bh>) { $bib++ while /\\bibitem\b/g } close $bh }

my @o;
push @o, '  "equations": [' . join(', ', map { js($_) } @eqs) . ']';
my %eqtype = map { $_ => 1 } qw(equation subequation parentequation);
my @eql = grep { $eqtype{$type{$_} // ''} } @labels;
push @o, "  \"labels\": {\n" . join(",\n", map { '    ' . js($_) . ': ' . js($num{$_}) } @eql) . "\n  }";
my @oth = grep { !$eqtype{$type{$_} // ''} } @labels;
push @o, "  \"other_labels\": {\n" . join(",\n", map { '    ' . js($_) . ': {"type": ' . js($type{$_} // '') . ', "number": ' . js($num{$_}) . '}' } @oth) . "\n  }";
my $list = sub { my ($name, $kindkey, @l) = @_;
  "  \"$name\": [\n" . join(",\n", map { '    {"number": ' . js($_->{number}) . ', ' . ($name eq 'sections' ? '"title": ' : '"caption": ') . js($_->{title}) . ($kindkey ? ", \"$kindkey\": " . js($_->{kind}) : '') . '}' } @l) . "\n  ]" };
push @o, $list->('tables', '', @tables);
push @o, $list->('figures', '', @figures);
push @o, $list->('algorithms', 'env', @algs);
push @o, $list->('sections', 'level', @sections);
push @o, "  \"bibitems\": $bib";
print "{\n" . join(",\n", @o) . "\n}\n";
PERL

if [ "$out" = "-" ]; then cat truth.json; else cp truth.json "$out"; fi
