/** User-facing strings of the HTTP layer (pages and API), kept together so another language can follow. */
export const HTTP_MESSAGES: Record<number, { title: string; text: string }> = {
  400: { title: '请求有误', text: '请求的参数不正确。' },
  401: { title: '需要登录', text: '请先登录。' },
  403: { title: '没有权限', text: '您没有执行此操作的权限。' },
  404: { title: '页面不存在', text: '您访问的页面或数据不存在，可能地址有误。' },
  405: { title: '不支持的请求方法', text: '此地址不支持该请求方法。' },
  409: { title: '状态冲突', text: '数据的当前状态不允许此操作。' },
  413: { title: '内容过大', text: '提交的内容超过了允许的大小。' },
  415: { title: '不支持的内容类型', text: '提交的内容类型不受支持。' },
  422: { title: '不符合规则', text: '提交的内容不符合业务规则。' },
  429: { title: '请求过于频繁', text: '请求过于频繁，请稍后再试。' },
  500: { title: '服务器内部错误', text: '服务器处理请求时出错，请稍后再试。' },
  503: { title: '服务暂不可用', text: '服务暂时不可用，请稍后再试。' },
};

export function httpMessage(status: number) {
  return HTTP_MESSAGES[status] ?? (status >= 500 ? HTTP_MESSAGES[500] : HTTP_MESSAGES[400]);
}

/** Chinese messages for class-validator constraints, by constraint name. */
export const VALIDATION_MESSAGES: Record<string, (args: { constraints?: unknown[] }) => string> = {
  whitelistValidation: () => '不允许的字段',
  isDefined: () => '必填',
  isNotEmpty: () => '不能为空',
  isString: () => '必须是文本',
  isBoolean: () => '必须是 true 或 false',
  isInt: () => '必须是整数',
  isArray: () => '必须是数组',
  isObject: () => '必须是对象',
  isIn: (a) => `取值必须是以下之一：${(a.constraints?.[0] as unknown[] | undefined)?.join('、') ?? ''}`,
  isEnum: () => '取值不在允许的范围内',
  min: (a) => `不能小于 ${a.constraints?.[0]}`,
  max: (a) => `不能大于 ${a.constraints?.[0]}`,
  minLength: (a) => `长度不能少于 ${a.constraints?.[0]} 个字符`,
  maxLength: (a) => `长度不能超过 ${a.constraints?.[0]} 个字符`,
  length: (a) => `长度必须在 ${a.constraints?.[0]} 到 ${a.constraints?.[1]} 个字符之间`,
  arrayMinSize: (a) => `至少需要 ${a.constraints?.[0]} 项`,
  arrayMaxSize: (a) => `最多 ${a.constraints?.[0]} 项`,
  matches: () => '格式不正确',
  isUrl: () => '必须是有效的网址',
  nestedValidation: () => '必须是对象',
};
