#!/usr/bin/env python3
"""Writes a goodbye-chatwork export as the gem writes it (Ruby CSV: no header, LF rows, a cell
quoted only when it holds a quote, comma, CR or LF; `Time#iso8601` with the local offset), for
benchmarks of `cwarchive import`: N rows of Japanese bodies of 5 to 300 characters, newest first.

    scripts/gen-goodbye-chatwork.py ROWS OUT_DIR [ROOMS] [SEED]
"""
import os
import random
import sys
from datetime import datetime, timedelta, timezone

TEXT = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん会議資料確認了解予定明日今日本件対応お願いします、。！？「」"
NAMES = ["山田 太郎", "佐藤 花子", "John Smith", "鈴木 一郎", "1000009"]
JST = timezone(timedelta(hours=9))


def cell(s):
    if s == "" or any(c in s for c in '",\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def main():
    rows = int(sys.argv[1])
    out = os.path.join(sys.argv[2], "chatwork_logs")
    rooms = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 16)
    os.makedirs(out, exist_ok=True)
    for r in range(rooms):
        count = rows // rooms + (1 if r < rows % rooms else 0)
        t = 1_500_000_000 + r * 1000
        lines = []
        for _ in range(count):
            t += rng.randint(1, 90)
            body = "".join(rng.choice(TEXT) for _ in range(rng.randint(5, 300)))
            if rng.random() < 0.1:
                body += '\n二行目, "引用"'
            stamp = datetime.fromtimestamp(t, JST).isoformat()
            lines.append(",".join([cell(stamp), cell(rng.choice(NAMES)), cell(body)]) + "\n")
        with open(os.path.join(out, "%d_大きな部屋%d.csv" % (4000001 + r, r)), "w", encoding="utf-8", newline="") as f:
            f.writelines(reversed(lines))


if __name__ == "__main__":
    main()
