# What `./poolshift` prints while it builds the local runtime: Maven's batch-mode output (read on
# standard input, kept whole in .cache/build.log by the launcher) condensed to the module being
# built, the step it is in, and how many files came from Maven Central, so a first build that
# takes a minute or two says what it is doing. [ERROR] lines pass through as they are.

function say(what) {
  printf "poolshift:   %s\n", what
  fflush()
}

/^\[INFO\] Building .* \[[0-9]+\/[0-9]+\]$/ {
  line = $0
  sub(/^\[INFO\] Building /, "", line)
  match(line, /\[[0-9]+\/[0-9]+\]$/)
  step = substr(line, RSTART, RLENGTH)
  module = substr(line, 1, RSTART - 1)
  sub(/ +$/, "", module)
  sub(/ [0-9][^ ]*$/, "", module)
  printf "poolshift: %s %s\n", step, module
  fflush()
  next
}

/^\[INFO\] --- / {
  if ($0 ~ /compiler-plugin:[^ ]*:compile /) {
    say("compiling")
  } else if ($0 ~ /shade-plugin:[^ ]*:shade /) {
    say("packaging it with its dependencies into one runnable jar")
  } else if ($0 ~ /dependency-plugin:[^ ]*:copy /) {
    say("copying the native libraries DynamoDB Local needs")
  }
  next
}

/^\[INFO\] Downloading from / {
  if (!downloading) {
    say("downloading dependencies from Maven Central")
    downloading = 1
  }
  next
}

/^\[INFO\] Downloaded from / {
  downloads++
  if (downloads % 100 == 0) {
    say(downloads " files downloaded")
  }
  next
}

/^\[ERROR\]/ {
  print
  fflush()
}

END {
  if (downloads > 0) {
    say(downloads " files downloaded from Maven Central in all")
  }
}
