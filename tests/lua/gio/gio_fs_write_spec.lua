-- gio_fs_write_spec.lua: smelt.fs.write keeps links, owners and read-only files, and names the path in every error
-- SPDX-License-Identifier: GPL-3.0-or-later
local t = require("testlib")
local fs = smelt.fs

local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p " .. dir))

-- runs a shell command through smelt.process (the loop keeps running); its stdout, trailing newline cut
local function sh(cmd)
  local r = assert(smelt.process.run("sh", { "-c", cmd }))
  if r.code ~= 0 then
    error(("`%s` failed (%s): %s"):format(cmd, tostring(r.code), r.stderr), 2)
  end
  return (r.stdout:gsub("\n$", ""))
end

-- inode, link count, uid, gid, octal mode and type of a path (links not followed)
local function lstat(path)
  local ino, nlink, uid, gid, mode, kind = sh("stat -c '%i %h %u %g %a %F' " .. path):match("^(%d+) (%d+) (%d+) (%d+) (%d+) (.*)$")
  return { ino = ino, nlink = tonumber(nlink), uid = tonumber(uid), gid = tonumber(gid), mode = mode, type = kind }
end

-- a fresh folder for one case
local function fixture(name)
  local d = dir .. "/" .. name
  sh("rm -rf " .. d .. " && mkdir -p " .. d)
  return d
end

-- fails if a temporary file of smelt's is left in folder d
local function no_temporary(d)
  for _, e in ipairs(assert(fs.list(d))) do
    t.falsy(e.name:find(".smelt-", 1, true), "no temporary file left in " .. d .. ": " .. e.name)
  end
end

local root = sh("id -u") == "0"

t.test("a write through an absolute symlink keeps the link; the target, in another folder, gets the text", function()
  local d = fixture("abs")
  sh(("mkdir %s/elsewhere && printf old > %s/elsewhere/target && ln -s %s/elsewhere/target %s/link"):format(d, d, d, d))
  t.eq(fs.write(d .. "/link", "new text"), true)
  t.eq(lstat(d .. "/link").type, "symbolic link")
  t.eq(sh("readlink " .. d .. "/link"), d .. "/elsewhere/target")
  t.eq(fs.read(d .. "/elsewhere/target"), "new text")
  t.eq(lstat(d .. "/elsewhere/target").type, "regular file")
  no_temporary(d); no_temporary(d .. "/elsewhere")
end)

t.test("a relative symlink, and a link to a link, resolve from the link's own folder", function()
  local d = fixture("rel")
  sh(("mkdir -p %s/a/sub %s/b && printf old > %s/a/sub/target && ln -s sub/target %s/a/link && ln -s ../a/link %s/b/link2")
    :format(d, d, d, d, d))
  t.eq(fs.write(d .. "/a/link", "one"), true)
  t.eq(sh("readlink " .. d .. "/a/link"), "sub/target")
  t.eq(fs.read(d .. "/a/sub/target"), "one")
  t.eq(fs.write(d .. "/b/link2", "two"), true)
  t.eq(lstat(d .. "/b/link2").type, "symbolic link")
  t.eq(lstat(d .. "/a/link").type, "symbolic link")
  t.eq(fs.read(d .. "/a/sub/target"), "two")
end)

t.test("a dangling symlink stays a link: its target is created", function()
  local d = fixture("dangling")
  sh(("mkdir %s/there && ln -s there/made %s/link"):format(d, d))
  t.eq(fs.write(d .. "/link", "born"), true)
  t.eq(lstat(d .. "/link").type, "symbolic link")
  t.eq(fs.read(d .. "/there/made"), "born")
end)

t.test("a hard-linked file is written in place: both names show the text, same inode", function()
  local d = fixture("hard")
  sh(("printf 'old old old' > %s/a && ln %s/a %s/b"):format(d, d, d))
  local before = lstat(d .. "/a")
  t.eq(before.nlink, 2)
  t.eq(fs.write(d .. "/a", "new"), true)
  t.eq(fs.read(d .. "/a"), "new")
  t.eq(fs.read(d .. "/b"), "new", "the other name")
  local after = lstat(d .. "/a")
  t.eq(after.ino, before.ino); t.eq(after.nlink, 2)
  t.eq(lstat(d .. "/b").ino, before.ino)
  t.eq(fs.write(d .. "/b", "longer than before, by a good way", { backup = true }), true)
  t.eq(fs.read(d .. "/a"), "longer than before, by a good way")
  t.eq(fs.read(d .. "/b~"), "new", "the backup is a copy, not a third name")
  t.eq(lstat(d .. "/a").nlink, 2)
end)

t.test("another user's file keeps its owner, group and mode (as root)", function()
  if not root then
    print("# SKIP: not root, cannot chown a file to uid 1234")
    return
  end
  local d = fixture("owner")
  sh(("printf old > %s/f && chown 1234:1234 %s/f && chmod 0640 %s/f"):format(d, d, d))
  t.eq(fs.write(d .. "/f", "new"), true)
  local st = lstat(d .. "/f")
  t.eq(st.uid, 1234); t.eq(st.gid, 1234); t.eq(st.mode, "640")
  t.eq(fs.read(d .. "/f"), "new")
  sh(("chmod 4755 %s/f"):format(d))   -- chown clears set-user-ID: the mode is given after the owner
  t.eq(fs.write(d .. "/f", "again"), true)
  st = lstat(d .. "/f")
  t.eq(st.uid, 1234); t.eq(st.mode, "4755")
end)

t.test("a read-only file is refused with code read-only and the path; force writes it", function()
  local d = fixture("ro")
  sh(("printf kept > %s/f && chmod 0444 %s/f"):format(d, d))
  local ok, msg, code = fs.write(d .. "/f", "lost")
  t.eq(ok, nil); t.eq(code, "read-only")
  t.contains(msg, "smelt.fs.write: " .. d .. "/f: ")
  t.contains(msg, "force")
  t.eq(fs.read(d .. "/f"), "kept")
  t.eq(fs.write(d .. "/f", "forced", { force = true }), true)
  t.eq(fs.read(d .. "/f"), "forced")
  t.eq(lstat(d .. "/f").mode, "444", "still read-only")
  -- hard-linked and read-only: refused too, then forced in place
  sh(("ln %s/f %s/g"):format(d, d))
  t.eq(select(3, fs.write(d .. "/g", "lost")), "read-only")
  t.eq(fs.write(d .. "/g", "forced in place", { force = true }), true)
  t.eq(fs.read(d .. "/f"), "forced in place")
  t.eq(lstat(d .. "/g").mode, "444")
  t.raises("bad argument #3 to 'smelt.fs.write' (force: boolean expected, got string)",
    fs.write, d .. "/f", "x", { force = "yes" })
end)

t.test("a writable file in a folder smelt may not write to is written in place (not as root)", function()
  if root then
    print("# SKIP: root writes to any folder")
    return
  end
  local d = fixture("closed")
  sh(("printf old > %s/f && chmod 0555 %s"):format(d, d))
  local ino = lstat(d .. "/f").ino
  local ok, msg = fs.write(d .. "/f", "new text")
  sh(("chmod 0755 %s"):format(d))
  t.eq(ok, true, msg)
  t.eq(fs.read(d .. "/f"), "new text")
  t.eq(lstat(d .. "/f").ino, ino, "the same file")
  t.eq(select(3, fs.write(d .. "/new", "x")), nil, "the folder is open again")
end)

t.test("a full disk: code no-space, the path named, the old contents intact (atomic and in place)", function()
  local d = fixture("full")
  local m = smelt.process.run("mount", { "-t", "tmpfs", "-o", "size=64k", "tmpfs", d })
  if m.code ~= 0 then
    print("# SKIP: cannot mount a small tmpfs: " .. m.stderr:gsub("\n", " "))
    return
  end
  local ok_all, err = pcall(function()
    sh(("printf original > %s/f && printf linked > %s/h && ln %s/h %s/h2"):format(d, d, d, d))
    -- fill it: dd stops with ENOSPC
    smelt.process.run("dd", { "if=/dev/zero", "of=" .. d .. "/fill", "bs=4096" })
    local big = string.rep("x", 100 * 1024)
    local ok, msg, code = fs.write(d .. "/f", big)
    t.eq(ok, nil, "the atomic write fails"); t.eq(code, "no-space")
    t.contains(msg, "smelt.fs.write: " .. d .. "/f: ")
    t.eq(fs.read(d .. "/f"), "original")
    no_temporary(d)
    ok, msg, code = fs.write(d .. "/h", big)
    t.eq(ok, nil, "the in-place write fails"); t.eq(code, "no-space")
    t.contains(msg, "smelt.fs.write: " .. d .. "/h: ")
    t.eq(fs.read(d .. "/h"), "linked"); t.eq(fs.read(d .. "/h2"), "linked")
    t.eq(lstat(d .. "/h").nlink, 2)
  end)
  smelt.process.run("umount", { d })
  if not ok_all then error(err, 0) end
end)

t.test("a write to a FIFO or a folder is refused and leaves it as it was", function()
  local d = fixture("special")
  sh(("mkfifo %s/fifo && mkdir %s/sub"):format(d, d))
  local ok, msg, code = fs.write(d .. "/fifo", "x")
  t.eq(ok, nil); t.eq(code, "not-regular-file")
  t.contains(msg, "smelt.fs.write: " .. d .. "/fifo: ")
  t.eq(lstat(d .. "/fifo").type, "fifo")
  ok, msg, code = fs.write(d .. "/sub", "x")
  t.eq(ok, nil); t.eq(code, "is-directory")
  t.contains(msg, "smelt.fs.write: " .. d .. "/sub: ")
end)

t.test("every file function's error names the function and the path", function()
  local d = fixture("names")
  local missing = d .. "/no/such"
  t.contains(select(2, fs.write(missing, "x")), "smelt.fs.write: " .. missing .. ": ")
  t.contains(select(2, fs.stat(missing)), "smelt.fs.stat: " .. missing .. ": ")
  t.contains(select(2, fs.list(missing)), "smelt.fs.list: " .. missing .. ": ")
  sh(("printf x > %s/file"):format(d))
  t.contains(select(2, fs.mkdir(d .. "/file/below")), "smelt.fs.mkdir: " .. d .. "/file/below: ")
  local ok, err = pcall(fs.watch, missing, function() end)
  t.falsy(ok); t.contains(err, "smelt.fs.watch: " .. missing .. ": ")
end)

t.test("cleanup", function()
  smelt.process.run("rm", { "-rf", dir })
end)

t.run()
