-- Tables: sort with a Lua comparator (C calling back into Lua), insert,
-- remove, move, metatables, weak tables and finalizers.
local t = {}
for i = 1, 1000 do t[i] = (i * 7919) % 1009 end
table.sort(t, function(a, b) return a > b end)
for i = 2, #t do assert(t[i - 1] >= t[i]) end
table.insert(t, 1, 5000); assert(t[1] == 5000 and #t == 1001)
assert(table.remove(t, 1) == 5000 and #t == 1000)
local moved = table.move({1, 2, 3}, 1, 3, 2, {})
assert(moved[1] == nil and moved[4] == 3)
assert(select("#", table.unpack({1, 2, 3})) == 3)

local V = {}
V.__index = V
V.__add = function(p, q) return setmetatable({x = p.x + q.x}, V) end
V.__eq = function(p, q) return p.x == q.x end
V.__lt = function(p, q) return p.x < q.x end
V.__call = function(self, k) return self.x * k end
V.__len = function() return 99 end
V.__tostring = function(self) return "V(" .. self.x .. ")" end
local function new(x) return setmetatable({x = x}, V) end
assert((new(1) + new(2)) == new(3) and new(1) < new(2) and new(4)(5) == 20)
assert(#new(0) == 99 and tostring(new(7)) == "V(7)")
local log = {}
local proxy = setmetatable({}, {__index = function(_, k) return k * 2 end,
                                 __newindex = function(_, k, v) log[#log + 1] = k .. "=" .. v end})
assert(proxy[21] == 42); proxy.a = 1; assert(log[1] == "a=1" and rawget(proxy, "a") == nil)

local weak = setmetatable({}, {__mode = "k"})
local finalized = 0
for _ = 1, 100 do weak[setmetatable({}, {__gc = function() finalized = finalized + 1 end})] = true end
collectgarbage(); collectgarbage()
assert(next(weak) == nil and finalized == 100)

local h = {}
for i = 1, 100000 do h["k" .. i] = i end
local n = 0
for _, v in pairs(h) do n = n + v end
assert(n == 5000050000)
print("OK tables")
