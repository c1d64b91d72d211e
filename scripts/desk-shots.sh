#!/bin/bash
# Screenshots of every tab under Xvfb :96: sizes x languages x themes.
# Needs a running X server (e.g. `Xvfb :96 -screen 0 1920x1080x24 &`), xdotool and ImageMagick.
# It writes eframe's remembered state (language, theme, tab) under SHOT_HOME before each start.
# SIZES, LANGS, THEMES, TABS and WAIT narrow or slow it down.
set -u
BIN=${BIN:-target/debug/tutorfordeling}; BIN=$(realpath "$BIN")
OUT=${OUT:-shots}; mkdir -p "$OUT"; OUT=$(realpath "$OUT")
H=${SHOT_HOME:-/tmp/tutorfordeling-shots}
mkdir -p $OUT $H/.local/share/tutorfordeling $H/dbs
[ -f $H/demo.sqlite ] || (cd $H && $BIN demo --db $H/demo.sqlite --practices 400 >/dev/null)
export DISPLAY=${DISPLAY:-:96} HOME=$H XDG_DATA_HOME=$H/.local/share LIBGL_ALWAYS_SOFTWARE=1 TUTORFORDELING_FILE_DIALOG=app
n=0
for size in ${SIZES:-1280x720 1600x1000 1920x1080}; do
  W=${size%x*}; HH=${size#*x}
  for lang in ${LANGS:-Danish English}; do
    for dark in ${THEMES:-false true}; do
      for tab in ${TABS:-Map Practices Fairness Finance}; do
        n=$((n+1))
        theme=$([ $dark = true ] && echo dark || echo light)
        name=${tab,,}_${size}_${lang,,}_${theme}
        db=$H/dbs/$name.sqlite
        cp $H/demo.sqlite $db
        printf '{"tutorfordeling":"(area:None,lang:%s,dark:%s,tab:%s,last_file:None,recent:[])"}' $lang $dark $tab > $H/.local/share/tutorfordeling/app.ron
        $BIN gui --db $db >/dev/null 2>>$H/gui.err &
        pid=$!
        for i in $(seq 1 60); do
          wid=$(xdotool search --pid $pid 2>/dev/null | head -1)
          [ -n "$wid" ] && break; sleep 0.5
        done
        xdotool windowmove $wid 0 0 windowsize $wid $W $HH 2>/dev/null
        sleep ${WAIT:-5}
        import -window root -crop ${W}x${HH}+0+0 +repage $OUT/$name.png
        kill $pid; wait $pid 2>/dev/null
        rm -rf $db $db-* $db.backups
      done
    done
  done
done
echo "$n shots"
