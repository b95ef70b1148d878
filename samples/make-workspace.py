#!/usr/bin/env python3
"""Writes samples/workspace/: the demo workspace the Chatwork simulator serves.

Deterministic: running it twice gives the same files. Run from anywhere:
    python3 samples/make-workspace.py
"""
import json
import os
import random
import re
import shutil
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "workspace")

ME, HANAKO, JOHN, ICHIRO, EMILY, MISAKI, CARLOS = 1000001, 1000002, 1000003, 1000004, 1000005, 1000006, 1000007
MY_CHAT, DM_HANAKO, DM_JOHN, PROJECT, ANNOUNCE, BUSY, HOSTILE, FREE, DM_EMILY = (
    2000001, 2000002, 2000003, 2000004, 2000005, 2000006, 2000007, 2000008, 2000009)

T0 = 1746057600  # 2025-05-01 09:00 JST
DAY = 86400


def avatar(n):
    return f"https://appdata.chatwork.com/avatar/sample/{n}.rsz.png"


ACCOUNTS = [
    dict(account_id=ME, name="山田 太郎", chatwork_id="taro_yamada", organization_id=500, organization_name="サンプル株式会社",
         department="開発部", title="エンジニア", url="https://example.com/taro", introduction="バックアップ担当です。",
         mail="taro@example.com", tel_organization="03-0000-0000", tel_extension="1234", tel_mobile="090-0000-0000",
         skype="taro.skype", facebook="taro.fb", twitter="taro_tw", avatar_image_url=avatar(ME), login_mail="taro@example.com"),
    dict(account_id=HANAKO, name="佐藤 花子", chatwork_id="hanako_sato", organization_id=500, organization_name="サンプル株式会社",
         department="営業部", avatar_image_url=avatar(HANAKO), mail="hanako@example.com", login_mail="hanako@example.com"),
    dict(account_id=JOHN, name="John Smith", chatwork_id="jsmith", organization_id=600, organization_name="Example Ltd.",
         department="Partnerships", avatar_image_url=avatar(JOHN)),
    dict(account_id=ICHIRO, name="鈴木 一郎", chatwork_id="", organization_id=500, organization_name="サンプル株式会社",
         department="開発部", avatar_image_url=avatar(ICHIRO)),
    dict(account_id=EMILY, name="Emily Chen", chatwork_id="emily_c", organization_id=0, organization_name="",
         department="", avatar_image_url=avatar(EMILY)),
    dict(account_id=MISAKI, name="田中 美咲", chatwork_id="misaki_t", organization_id=700, organization_name="株式会社テスト",
         department="総務部", avatar_image_url=avatar(MISAKI)),
    dict(account_id=CARLOS, name="Carlos Díaz", chatwork_id="carlos_d", organization_id=0, organization_name="",
         department="", avatar_image_url=avatar(CARLOS)),
]


class Ids:
    def __init__(self):
        self.message = 1789000000000000000
        self.file = 3000000
        self.task = 4000000

    def next_message(self):
        self.message += 1000 + (self.message % 7)
        return str(self.message)


ids = Ids()


class Room:
    def __init__(self, room_id, name, type_, members, **extra):
        self.data = dict(room_id=room_id, name=name, type=type_, members=[dict(account_id=a, role=r) for a, r in members],
                         messages=[], tasks=[], files=[], **extra)
        self.room_id = room_id

    def say(self, who, body, t, edited=None, deleted=False):
        mid = ids.next_message()
        m = dict(message_id=mid, account_id=who, body=body, send_time=t, update_time=edited or 0)
        if deleted:
            m["deleted"] = True
            m["update_time"] = edited or t + 60
        self.data["messages"].append(m)
        return mid

    def upload(self, who, filename, t, path=None, size=None, seed=None, comment=None, preview=False):
        ids.file += 1
        fid = ids.file
        if path is not None:
            size = os.path.getsize(os.path.join(OUT, "files", path))
            content = {"path": path}
        else:
            content = {"seed": seed}
        body = f"[info][title][dtext:file_uploaded][/title][download:{fid}]{filename} ({human(size)})[/download][/info]"
        if preview:
            body += f"\n[preview id={fid} ht=120]"
        if comment:
            body = comment + "\n" + body
        mid = self.say(who, body, t)
        self.data["files"].append(dict(file_id=fid, account_id=who, message_id=mid, filename=filename, filesize=size,
                                       upload_time=t, content=content))
        return fid, mid

    def task(self, assignee, by, body, t, status="open", limit_time=0, limit_type="none"):
        ids.task += 1
        lt = "" if limit_type == "none" else f" lt={limit_time} ltype={limit_type}"
        mid = self.say(by, f"[info][title][dtext:task_added][/title][task aid={assignee} st=open{lt}]{body}[/task][/info]", t)
        self.data["tasks"].append(dict(task_id=ids.task, account_id=assignee, assigned_by_account_id=by, message_id=mid,
                                       body=body, limit_time=limit_time, status=status, limit_type=limit_type))
        if status == "done":
            self.say(assignee, f"[info][title][dtext:task_done][/title][task aid={assignee} st=done{lt}]{body}[/task][/info]",
                     t + 3600)
        return ids.task

    def finish(self):
        msgs = self.data["messages"]
        last = max([m["send_time"] for m in msgs] + [m["update_time"] for m in msgs] + [T0 - 30 * DAY])
        self.data["last_update_time"] = last
        return self.data


def human(size):
    units = ["B", "KB", "MB", "GB"]
    value, unit = float(size), 0
    while value >= 1024 and unit < 3:
        value /= 1024
        unit += 1
    return f"{size} B" if unit == 0 else f"{value:.2f} {units[unit]}"


# ---------------------------------------------------------------- file bytes

def png(width, height):
    rows = b""
    for y in range(height):
        rows += b"\x00" + b"".join(bytes(((x * 16) % 256, (y * 16) % 256, 180)) for x in range(width))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def pdf(text):
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def write_files():
    folder = os.path.join(OUT, "files")
    os.makedirs(folder)
    files = {
        "screenshot.png": png(48, 32),
        "spec-v2.pdf": pdf("Project A specification v2 - Chatwork sample"),
        "meeting-notes.txt": "定例ミーティング議事録\n2025-05-02\n\n- リリース日: 5/20\n- 担当: 山田、佐藤\nNext: API rate limits (300 / 5 min)\n".encode(),
        "sales-2025Q1.csv": "月,売上,件数\n2025-01,1200000,34\n2025-02,980000,29\n2025-03,1530000,41\n".encode("utf-8"),
        "memo.txt": "自分用メモ: バックアップは毎日 force=1 で取得すること。\n".encode(),
        "passwd.txt": b"root:x:0:0:this is not really /etc/passwd:/root:/bin/sh\n",
        "control.txt": b"file whose name has a control character\n",
    }
    for name, data in files.items():
        with open(os.path.join(folder, name), "wb") as f:
            f.write(data)


# ---------------------------------------------------------------- rooms

EMOTICONS = (":) :( :D 8-) :o ;) ;( (sweat) :| :* :p (blush) :^) |-) (inlove) ]:) (talk) (yawn) (puke) (emo) 8-| :#) "
             "(nod) (shake) (^^;) (whew) (clap) (bow) (roger) (flex) (dance) (:/) (devil) (*) (h) (F) (cracker) (^) "
             "(coffee) (beer) (handshake) (y)")


def my_chat():
    r = Room(MY_CHAT, "マイチャット", "my", [(ME, "admin")], icon_path="https://appdata.chatwork.com/icon/ico_my.png")
    r.say(ME, "買い物リスト: 牛乳、パン、コーヒー豆 (coffee)", T0 - 3 * DAY)
    r.say(ME, "[info][title]TODO[/title]・経費精算\n・週報を書く[/info]", T0 - 2 * DAY)
    r.upload(ME, "memo.txt", T0 - DAY, path="memo.txt")
    return r


def dm_hanako(busy_room):
    r = Room(DM_HANAKO, "佐藤 花子", "direct", [(ME, "member"), (HANAKO, "member")], unread_num=2, mention_num=1)
    a = r.say(HANAKO, "お疲れさまです。明日の打ち合わせは10時からで大丈夫ですか？", T0 + 3600)
    r.say(ME, f"[rp aid={HANAKO} to={DM_HANAKO}-{a}]佐藤 花子さん\nはい、10時で大丈夫です (bow)", T0 + 3700)
    r.say(HANAKO, f"[qt][qtmeta aid={ME} time={T0 + 3700}]はい、10時で大丈夫です (bow)[/qt]\nありがとうございます！ :)", T0 + 3800)
    r.say(HANAKO, "資料の件、念のため共有します。", T0 + 4000, edited=T0 + 4300)
    r.task(ME, HANAKO, "見積書の確認", T0 + 5000, limit_time=T0 + 3 * DAY, limit_type="date")
    old = busy_room.data["messages"][4]
    r.say(HANAKO, f"[To:{ME}]山田 太郎さん\n雑談ルームの古い発言も見ておいてください → [rp aid={old['account_id']} to={BUSY}-{old['message_id']}]", T0 + 6000)
    return r


def dm_john():
    r = Room(DM_JOHN, "John Smith", "direct", [(ME, "member"), (JOHN, "member")])
    r.say(JOHN, "Hi Taro, thanks for the demo yesterday. Could you send me the slides?", T0 + 2 * DAY)
    r.say(ME, "Sure! I'll upload them to the project room. (y)", T0 + 2 * DAY + 600)
    r.say(JOHN, "Great, thank you! 8-)", T0 + 2 * DAY + 900, edited=T0 + 2 * DAY + 960)
    return r


def dm_emily():
    # A contact's direct chat without any message: lists answer 204.
    return Room(DM_EMILY, "Emily Chen", "direct", [(ME, "member"), (EMILY, "member")])


def project():
    r = Room(PROJECT, "プロジェクトA 開発チーム", "group", [(ME, "admin"), (HANAKO, "member"), (JOHN, "member"), (ICHIRO, "readonly")],
             description="プロジェクトAの開発用チャットです。\n[info]週次定例: 毎週月曜 10:00[/info]", sticky=True, unread_num=5,
             mention_num=1, link=dict(public=True, url="https://www.chatwork.com/g/sample-project-a", need_acceptance=True,
                                      description="プロジェクトAへの参加リンク"))
    t = T0 - 10 * DAY
    r.say(ME, f"[info][title][dtext:chatroom_groupchat_created][/title][dtext:chatroom_chatname_is]プロジェクトA 開発チーム"
              f"[dtext:chatroom_set]\n\n[dtext:chatroom_member_is][piconname:{ME}][piconname:{HANAKO}][piconname:{JOHN}]"
              f"[dtext:chatroom_added][/info]", t)
    r.say(ME, "[info][title][dtext:chatroom_description_is][/title]プロジェクトAの開発用チャットです。[/info]", t + 60)
    r.say(ICHIRO, f"[info][dtext:chatroom_chat_joined][piconname:{ICHIRO}][/info]", t + 120)
    r.say(ME, "[toall]\nキックオフを始めます。よろしくお願いします！ (bow)", t + 3600)
    r.say(JOHN, f"[To:{ME}]Taro Yamada\nHello everyone, looking forward to working with you. (handshake)", t + 3700)
    hello = r.say(HANAKO, "よろしくお願いします。[pname:{}]さん、資料は後ほど共有します。".format(ME), t + 3800)
    r.say(ME, f"[rp aid={HANAKO} to={PROJECT}-{hello}][piconname:{HANAKO}]さん\nありがとうございます。[picon:{JOHN}] John もよろしく。",
          t + 3900)
    r.say(ME, "[info][title]リリース計画[/title]第1弾: 5/20\n[hr]第2弾: 6/30（予定）[/info]", t + DAY)
    r.say(JOHN, "Here is the retry logic I mentioned:\n[code]for attempt in 1...5 {\n    if try await fetch() { break }\n"
                "    try await Task.sleep(for: .seconds(pow(2, Double(attempt))))\n}[/code]", t + DAY + 600)
    r.say(HANAKO, f"[qt][qtmeta aid={JOHN}]Here is the retry logic I mentioned[/qt]指数バックオフ、良いですね (clap)", t + DAY + 900)
    r.say(ME, "エモーティコン一覧のテスト: " + EMOTICONS, t + DAY + 1200)
    r.say(HANAKO, "このメッセージは間違えて送りました", t + DAY + 1500, deleted=True)
    r.say(JOHN, "[deleted]", t + DAY + 1600, deleted=True)
    r.say(ME, "仕様書の第2版です。レビューをお願いします。", t + 2 * DAY, edited=t + 2 * DAY + 1800)
    fid, _ = r.upload(ME, "spec-v2.pdf", t + 2 * DAY + 60, path="spec-v2.pdf")
    png_id, _ = r.upload(HANAKO, "screenshot.png", t + 2 * DAY + 600, path="screenshot.png", preview=True)
    r.upload(HANAKO, "売上_2025Q1.csv", t + 2 * DAY + 700, path="sales-2025Q1.csv", comment="売上データです (CSV)")
    r.upload(JOHN, "meeting-notes.txt", t + 3 * DAY, path="meeting-notes.txt")
    r.upload(JOHN, "demo-recording.zip", t + 3 * DAY + 60, size=3 * 1024 * 1024 + 17, seed=20250503)
    r.task(ME, HANAKO, f"仕様書 spec-v2.pdf のレビュー [download:{fid}]spec-v2.pdf[/download]", t + 3 * DAY + 600,
           limit_time=T0 + 5 * DAY, limit_type="date")
    r.task(HANAKO, ME, "スクリーンショットの差し替え", t + 3 * DAY + 700, status="done")
    r.task(JOHN, ME, "Prepare the English release notes", t + 3 * DAY + 800, limit_time=T0 + 7 * DAY + 3600 * 15,
           limit_type="time")
    r.task(ME, JOHN, "Review John's PR #42", t + 3 * DAY + 900, status="done")
    r.say(CARLOS, f"[info][title][dtext:chatroom_leaved][/title][piconname:{CARLOS}][/info]", t + 4 * DAY)
    r.say(HANAKO, f"[To:{ME}]山田さん [To:{JOHN}]John\n画像を確認してください [preview id={png_id} ht=96]", t + 4 * DAY + 60)
    return r


def announcements():
    r = Room(ANNOUNCE, "全社アナウンス", "group", [(ME, "readonly"), (HANAKO, "admin"), (ICHIRO, "member")],
             description="全社向けのお知らせ（閲覧のみ）", link=dict(public=False))
    r.say(HANAKO, "[toall]\n[info][title]ゴールデンウィークの休業について[/title]5/3〜5/6は休業です。[/info]", T0 - 5 * DAY)
    r.say(HANAKO, "[toall]\nオフィス移転のお知らせ (cracker)", T0 + DAY, edited=T0 + DAY + 120)
    return r


def busy():
    rnd = random.Random(42)
    people = [ME, HANAKO, JOHN, ICHIRO]
    ja = ["おはようございます", "了解です (roger)", "ランチ行きましょう (coffee)", "今日は暑いですね (sweat)", "会議室Bが空いています",
          "ビルドが通りました :D", "レビューお願いします", "少し遅れます (bow)", "それは面白い！ (clap)", "お疲れさまでした (beer)"]
    en = ["Good morning", "On my way", "Anyone up for lunch?", "The build is green :)", "PTAL when you have a minute",
          "Thanks!", "Interesting (nod)", "Sounds good (y)", "I'll be 5 min late", "See you tomorrow"]
    r = Room(BUSY, "雑談 / Random", "group", [(ME, "member"), (HANAKO, "member"), (JOHN, "admin"), (ICHIRO, "member")],
             description="Busy room: more messages than the 100-message window.", unread_num=42)
    t = T0 - 3 * DAY
    ids_ = []
    for n in range(250):
        t += rnd.randint(20, 900)
        phrase = rnd.choice(ja if n % 2 == 0 else en)
        ids_.append(r.say(rnd.choice(people), f"#{n + 1} {phrase}", t))
    return r, ids_


def hostile():
    r = Room(HOSTILE, "<b>Hostile</b> & \"odd\" input ../room", "group", [(ME, "member"), (JOHN, "member"), (EMILY, "admin")],
             description="<script>alert('room description')</script>")
    t = T0 + 3 * DAY
    r.say(EMILY, "<script>alert('xss')</script> and <img src=x onerror=alert(1)> and &amp; &lt;", t)
    r.say(JOHN, "[info][title]unclosed title\nand an unclosed info", t + 10)
    r.say(JOHN, "[code][info]misnested[/code][/info] [foo]unknown tag[/foo] [To:abc] [rp aid=x to=bad] [qtmeta aid=1]", t + 20)
    r.say(EMILY, "[download:3999999]missing-file.bin (12 B)[/download] ← this file does not exist", t + 30)
    r.say(JOHN, "'; DROP TABLE messages; -- \"quoted\" OR NOT foo* NEAR(a b) {{mustache}} %s %@ ${HOME} $(rm -rf /)", t + 40)
    r.say(EMILY, "Right-to-left \u202eevil.exe\u202c, zero width\u200bspace, emoji 👍🏽👨‍👩‍👧, combining か\u3099", t + 50)
    r.say(JOHN, "CRLF line endings\r\nsecond line\r\n\ttab indented", t + 60)
    r.say(EMILY, "長い本文 " + "あいうえお" * 2000, t + 70)
    r.upload(EMILY, "../../etc/passwd", t + 80, path="passwd.txt")
    r.upload(JOHN, "con\u0007trol\u0001name.txt", t + 90, path="control.txt")
    r.upload(EMILY, "a/b\\c:d*e?f\"g<h>i|j.txt", t + 100, size=64, seed=7)
    r.upload(JOHN, ("とても長いファイル名" * 30) + ".txt", t + 110, size=128, seed=8)
    r.upload(EMILY, ".hidden", t + 120, size=10, seed=9)
    return r


def free_plan():
    # Message limitation: only the past 40 days are visible, so with these (old) times lists answer
    # 204 with the chatwork-message-limitation headers although the room has messages.
    r = Room(FREE, "Free plan room", "group", [(ME, "member"), (JOHN, "admin")],
             message_limitation=dict(days=40, summary="Only messages from the last 40 days are shown on the free plan."))
    r.say(JOHN, "This room is on the free plan; older messages are hidden.", T0 - 60 * DAY)
    r.say(ME, "Understood.", T0 - 59 * DAY)
    return r


def renumber_messages(rooms):
    """Gives message ids in time order across all rooms, like the real service, and rewrites every
    reference ([rp ... to=ROOM-ID], task and file message ids)."""
    everything = [(m["send_time"], i, m) for i, m in enumerate(m for r in rooms for m in r.data["messages"])]
    everything.sort(key=lambda e: (e[0], e[1]))
    mapping = {}
    next_id = 1789000000000000000
    for _, _, m in everything:
        next_id += 1000 + (next_id % 7)
        mapping[m["message_id"]] = str(next_id)
    for r in rooms:
        for m in r.data["messages"]:
            m["message_id"] = mapping[m["message_id"]]
            m["body"] = re.sub(r"\d{19}", lambda found: mapping.get(found.group(0), found.group(0)), m["body"])
        for item in r.data["tasks"] + r.data["files"]:
            item["message_id"] = mapping[item["message_id"]]
        r.data["messages"].sort(key=lambda m: int(m["message_id"]))


def main():
    if os.path.exists(OUT):
        for name in ("workspace.json", "rooms", "files"):
            path = os.path.join(OUT, name)
            if os.path.isdir(path):
                shutil.rmtree(path)
            elif os.path.exists(path):
                os.remove(path)
    os.makedirs(os.path.join(OUT, "rooms"), exist_ok=True)
    write_files()
    busy_room, _ = busy()
    rooms = [my_chat(), dm_hanako(busy_room), dm_john(), project(), announcements(), busy_room, hostile(), free_plan(), dm_emily()]
    renumber_messages(rooms)
    workspace = dict(
        accounts=ACCOUNTS,
        tokens={"demo-token-0000": ME, "demo-token-0001": ME, "demo-token-hanako": HANAKO},
        contacts=[dict(owner_account_id=ME, account_id=HANAKO, room_id=DM_HANAKO),
                  dict(owner_account_id=ME, account_id=JOHN, room_id=DM_JOHN),
                  dict(owner_account_id=ME, account_id=EMILY, room_id=DM_EMILY),
                  dict(owner_account_id=HANAKO, account_id=ME, room_id=DM_HANAKO)],
        incoming_requests=[dict(owner_account_id=ME, request_id=501, account_id=MISAKI,
                                message="はじめまして。展示会でお会いした田中です。"),
                           dict(owner_account_id=ME, request_id=502, account_id=CARLOS, message="Hi! Let's connect.")],
    )
    with open(os.path.join(OUT, "workspace.json"), "w", encoding="utf-8") as f:
        json.dump(workspace, f, ensure_ascii=False, indent=1)
        f.write("\n")
    for room in rooms:
        with open(os.path.join(OUT, "rooms", f"{room.room_id}.json"), "w", encoding="utf-8") as f:
            json.dump(room.finish(), f, ensure_ascii=False, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
