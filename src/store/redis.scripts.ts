/**
 * Lua scripts for the Redis TaskStore. Each runs atomically inside Redis, which is what makes
 * claim and compare-and-set transitions safe across gateway processes on several hosts.
 *
 * Keys (prefix P): P:seq (counter) · P:t:<id> (task JSON) · P:q (ZSET queued ids by seq) ·
 * P:all (ZSET every id by seq) · P:s:<state> (SET ids per state) · P:e:<id> (LIST of events).
 */

/** KEYS: P:t:<id>, P:q, P:all, P:s:queued, P:e:<id>, P:seq · ARGV: task JSON (without seq), event JSON */
export const CREATE = `
local seq = redis.call('INCR', KEYS[6])
local t = cjson.decode(ARGV[1])
t.seq = seq
local json = cjson.encode(t)
if redis.call('SETNX', KEYS[1], json) == 0 then return redis.error_reply('task exists') end
redis.call('ZADD', KEYS[2], seq, t.id)
redis.call('ZADD', KEYS[3], seq, t.id)
redis.call('SADD', KEYS[4], t.id)
redis.call('RPUSH', KEYS[5], ARGV[2])
return json
`;

/**
 * Compare-and-set transition. KEYS: P:t:<id>, P:q, P:e:<id> · ARGV: allowed-from CSV, to,
 * patch JSON, now, event message, prefix. Returns the new task JSON or false.
 */
export const TRANSITION = `
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
local t = cjson.decode(raw)
local ok = false
for s in string.gmatch(ARGV[1], '[^,]+') do if s == t.state then ok = true end end
if not ok then return false end
local from = t.state
local patch = cjson.decode(ARGV[3])
for k, v in pairs(patch) do t[k] = v end
t.state = ARGV[2]
t.updatedAt = tonumber(ARGV[4])
local json = cjson.encode(t)
redis.call('SET', KEYS[1], json)
redis.call('SREM', ARGV[6] .. ':s:' .. from, t.id)
redis.call('SADD', ARGV[6] .. ':s:' .. t.state, t.id)
if t.state == 'queued' then redis.call('ZADD', KEYS[2], t.seq, t.id) else redis.call('ZREM', KEYS[2], t.id) end
local ev = { taskId = t.id, at = t.updatedAt, state = t.state, slotId = t.slotId, errorCode = patch.errorCode, message = ARGV[5] }
redis.call('RPUSH', KEYS[3], cjson.encode(ev))
return json
`;

/** Patch non-state fields if the task is still in ARGV[1]. KEYS: P:t:<id> · ARGV: state, patch JSON, now */
export const PATCH = `
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local t = cjson.decode(raw)
if t.state ~= ARGV[1] then return 0 end
for k, v in pairs(cjson.decode(ARGV[2])) do t[k] = v end
t.updatedAt = tonumber(ARGV[3])
redis.call('SET', KEYS[1], cjson.encode(t))
return 1
`;

/**
 * Claim the oldest queued task that is available. Scans at most ARGV[3] from the head: only
 * tasks waiting for a retry delay can be skipped, and they are few. KEYS: P:q · ARGV: now,
 * slotId, scan limit, prefix. Returns the claimed task JSON or false.
 */
export const CLAIM = `
local ids = redis.call('ZRANGE', KEYS[1], 0, tonumber(ARGV[3]) - 1)
local now = tonumber(ARGV[1])
for _, id in ipairs(ids) do
  local key = ARGV[4] .. ':t:' .. id
  local raw = redis.call('GET', key)
  if raw then
    local t = cjson.decode(raw)
    if t.state == 'queued' and (t.availableAt or 0) <= now then
      t.state = 'preparing'
      t.slotId = tonumber(ARGV[2])
      t.startedAt = now
      t.updatedAt = now
      local json = cjson.encode(t)
      redis.call('SET', key, json)
      redis.call('ZREM', KEYS[1], id)
      redis.call('SREM', ARGV[4] .. ':s:queued', id)
      redis.call('SADD', ARGV[4] .. ':s:preparing', id)
      redis.call('RPUSH', ARGV[4] .. ':e:' .. id, cjson.encode({ taskId = id, at = now, state = 'preparing', slotId = t.slotId }))
      return json
    end
  end
end
return false
`;
