package dev.poolshift.rollout.endpoint;

/** How many instances of a variant run on one pool's hardware (DescribeEndpoint InstancePools). */
public record PoolCount(String instanceType, int currentInstanceCount) {
}
