-- Strings: format, patterns, pack and unpack, utf8, and conversions.
assert(string.format("%5.2f|%-4d|%x|%q", 3.14159, 7, 255, "a\nb") == ' 3.14|7   |ff|"a\\\nb"')
assert(string.format("%s %s", 1, 2.5) == "1 2.5")
assert(("hello world"):find("o w") == 5)
assert(("key=value"):match("(%w+)=(%w+)") == "key")
local words = {}
for w in ("the quick brown fox"):gmatch("%a+") do words[#words + 1] = w end
assert(#words == 4 and words[3] == "brown")
assert(("abc"):rep(3, ",") == "abc,abc,abc")
assert(("%d"):rep(2) == "%d%d")
assert(select(2, ("aaa"):gsub("a", "b")) == 3)
assert(("x = 1, y = 2"):gsub("(%w+) = (%w+)", "%2 = %1") == "1 = x, 2 = y")
assert(string.pack("<i4", 1) == "\1\0\0\0")
local a, b, nextpos = string.unpack("<i2 z", string.pack("<i2 z", -2, "str"))
assert(a == -2 and b == "str" and nextpos == 7)
assert(utf8.char(72, 228, 8364) == "Hä€" and utf8.len("Hä€") == 3)
local points = {}
for _, c in utf8.codes("aä€") do points[#points + 1] = c end
assert(points[2] == 228 and points[3] == 8364)
assert(tostring(10 // 3) == "3" and tostring(10 / 4) == "2.5")
assert(tonumber("0x10") == 16 and tonumber("z", 36) == 35 and tonumber("1e2") == 100.0)
assert(("Lua"):byte(1, -1) == 76 and string.char(76, 117, 97) == "Lua")
assert(("  trim  "):match("^%s*(.-)%s*$") == "trim")
local big = {}
for i = 1, 10000 do big[i] = tostring(i) end
assert(#table.concat(big) == 38894)
print("OK strings")
