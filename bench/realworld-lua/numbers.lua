-- Numbers: integers and floats, wrap-around, integer division and modulo,
-- conversions, bitwise operators and the math library.
assert(math.type(1) == "integer" and math.type(1.0) == "float")
assert(math.maxinteger + 1 == math.mininteger)
assert(7 // 2 == 3 and -7 // 2 == -4 and 7 % -3 == -2 and 7.5 // 2 == 3.0)
assert(3 | 5 == 7 and 3 & 5 == 1 and 3 ~ 5 == 6 and ~0 == -1 and 1 << 62 == 4611686018427387904)
assert(math.floor(-3.5) == -4 and math.ceil(3.2) == 4 and math.abs(math.mininteger) == math.mininteger)
assert(math.tointeger(3.0) == 3 and math.tointeger(3.5) == nil)
assert(math.ult(1, -1) and not math.ult(-1, 1))
assert(string.format("%.3f", math.pi) == "3.142" and math.huge > math.maxinteger)
assert(0/0 ~= 0/0)
math.randomseed(42)
local first = {math.random(1, 100), math.random(1, 100)}
math.randomseed(42)
assert(math.random(1, 100) == first[1] and math.random(1, 100) == first[2])
local ok = pcall(function() return 1 // 0 end)
assert(not ok)
local s = 0
for i = 1, 1000000 do s = s + i % 7 end
assert(s == 2999998)
print("OK numbers")
